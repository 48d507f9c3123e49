package time

import "syscall"

// clockShift moves this process's wall clock by LISPLAN_CLOCK_SHIFT_SECONDS, the way libfaketime
// moves a libc program's: Go reads the clock through the vDSO, not libc, so faketime cannot reach
// it. Monotonic readings are left alone, so timeouts and tickers keep real time.
// Added to the standard library's time package only by scripts/provision-clock-shifted-servers.sh.
var clockShift = parseClockShift()

func parseClockShift() int64 {
	text, ok := syscall.Getenv("LISPLAN_CLOCK_SHIFT_SECONDS")
	if !ok || text == "" {
		return 0
	}
	negative := text[0] == '-'
	if negative || text[0] == '+' {
		text = text[1:]
	}
	var seconds int64
	for _, c := range text {
		if c < '0' || c > '9' {
			panic("LISPLAN_CLOCK_SHIFT_SECONDS is not a whole number of seconds")
		}
		seconds = seconds*10 + int64(c-'0')
	}
	if negative {
		return -seconds
	}
	return seconds
}
