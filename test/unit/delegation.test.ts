import { DelegationRequest } from '../../src/domain/delegation';

describe('a delegation request', () => {
  const valid = { fromUserId: 'anna', toUserId: 'bo', role: 'head-of-administration', validFrom: '2026-03-01', validTo: '2026-06-30' };

  it('is refused with the date fields named when a date is not a real date, instead of failing', () => {
    // Found by schemathesis: the span rule ran on '' and 0000-00-00 and threw a RangeError (a 500).
    const result = DelegationRequest.safeParse({ ...valid, validFrom: '', validTo: '0000-00-00' });
    expect(result.success).toBe(false);
    expect([...new Set(result.error!.issues.map((i) => i.path.join('.')))].sort()).toEqual(['validFrom', 'validTo']);
  });

  it('still applies the span rule to real dates', () => {
    expect(DelegationRequest.safeParse(valid).success).toBe(true);
    const tooLong = DelegationRequest.safeParse({ ...valid, validTo: '2027-03-02' });
    expect(tooLong.error!.issues).toEqual([expect.objectContaining({ path: ['validTo'] })]);
  });
});
