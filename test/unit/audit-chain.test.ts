import { eventHash, GENESIS_HASH, verifyChain, type ChainedEvent } from '../../src/services/audit/chain';

/** A chain of `n` linked events of one organisation. */
function chain(n: number): ChainedEvent[] {
  const events: ChainedEvent[] = [];
  let prevHash = GENESIS_HASH;
  for (let seq = 1; seq <= n; seq++) {
    const body = { orgId: 'org', seq, prevHash, action: 'comment', requestId: `r${seq}` };
    prevHash = eventHash(body);
    events.push({ ...body, hash: prevHash });
  }
  return events;
}

describe('verifying the audit chain from a verified point on', () => {
  const all = chain(6);

  it('continues from the stored seq and hash as the whole chain would', () => {
    const whole = verifyChain(all);
    const first = verifyChain(all.slice(0, 4));
    const rest = verifyChain(all.slice(4), { seq: first.lastSeq, hash: first.lastHash });
    expect(rest).toEqual({ ok: true, events: 2, lastHash: whole.lastHash, lastSeq: 6, problems: [] });
  });

  it('finds an edited event after the point, but by design not one before it', () => {
    const edited = all.map((e) => (e.seq === 2 || e.seq === 5 ? { ...e, requestId: 'andrad' } : e));
    const point = { seq: 4, hash: all[3]!.hash };
    expect(verifyChain(edited.slice(4), point).problems).toEqual([{ seq: 5, kind: 'tampered', detail: 'the content does not match its hash' }]);
    expect(verifyChain(edited).problems.map((p) => p.seq)).toEqual([2, 5]);
  });

  it('a stored point that does not match the events is a broken link, not a pass', () => {
    expect(verifyChain(all.slice(4), { seq: 4, hash: all[2]!.hash }).problems).toEqual([{ seq: 5, kind: 'broken-link', detail: 'prevHash does not match the hash of the event before' }]);
    expect(verifyChain([], { seq: 4, hash: 'h' })).toEqual({ ok: true, events: 0, lastHash: 'h', lastSeq: 4, problems: [] });
  });
});
