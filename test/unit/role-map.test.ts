import { mapRoles, parseRoleMap, rolesClaimValues } from '../../src/http/auth/role-map';
import { ConfigError } from '../../src/platform/config';

const MAP = JSON.stringify({
  'lisplan-sodermalm-samordnare': [{ orgId: 'sodermalm', role: 'security-coordinator' }],
  'lisplan-sodermalm-chef': [
    { orgId: 'sodermalm', role: 'head-of-administration' },
    { orgId: 'sodermalm', role: 'security-coordinator' },
  ],
  'lisplan-kultur-it': [{ orgId: 'kultur', role: 'it-coordinator' }, { orgId: 'sodermalm', role: 'viewer' }],
  'lisplan-stad': { cityViewer: true },
});

describe('parseRoleMap', () => {
  it('reads organisation roles and city viewers', () => {
    const map = parseRoleMap(MAP);
    expect(map['lisplan-sodermalm-samordnare']).toEqual([{ orgId: 'sodermalm', role: 'security-coordinator' }]);
    expect(map['lisplan-stad']).toEqual({ cityViewer: true });
    expect(parseRoleMap('{}')).toEqual({});
  });

  it.each([
    ['{not json', /^config: OIDC_ROLE_MAP is not JSON/],
    ['[]', /^config: OIDC_ROLE_MAP must be a JSON object/],
    ['"groups"', /^config: OIDC_ROLE_MAP must be a JSON object/],
    ['{"": {"cityViewer": true}}', /empty claim value/],
    ['{"g1": [{"orgId": "sodermalm", "role": "boss"}]}', /^config: OIDC_ROLE_MAP entry "g1" at \[0\]\.role: /],
    ['{"g1": [{"orgId": "Södermalm", "role": "viewer"}]}', /^config: OIDC_ROLE_MAP entry "g1" at \[0\]\.orgId: lower-case letters/],
    ['{"g1": [{"orgId": "sodermalm"}]}', /^config: OIDC_ROLE_MAP entry "g1" at \[0\]\.role: /],
    ['{"g1": [{"orgId": "a", "role": "viewer", "extra": 1}]}', /^config: OIDC_ROLE_MAP entry "g1" at \[0\]: /],
    ['{"g2": {"cityViewer": false}}', /^config: OIDC_ROLE_MAP entry "g2" at cityViewer: .*\(expected \{ "cityViewer": true \}/],
    ['{"g2": {"cityviewer": true}}', /^config: OIDC_ROLE_MAP entry "g2" at cityViewer: .*; Unrecognized key: "cityviewer"/],
    ['{"g3": "admin"}', /^config: OIDC_ROLE_MAP entry "g3": /],
  ])('refuses %s, naming the entry', (json, message) => {
    let error: unknown;
    try {
      parseRoleMap(json);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
  });

  it('keeps a claim value named like an object property as an ordinary entry', () => {
    const map = parseRoleMap('{"__proto__": {"cityViewer": true}, "constructor": [{"orgId": "a", "role": "viewer"}]}');
    expect(Object.getPrototypeOf(map)).toBe(Object.prototype);
    expect(mapRoles(['__proto__'], map).cityViewer).toBe(true);
    expect(mapRoles(['constructor'], map).memberships).toEqual([{ orgId: 'a', roles: ['viewer'] }]);
    expect(mapRoles(['toString', 'hasOwnProperty'], parseRoleMap('{}'))).toEqual({ memberships: [], cityViewer: false });
  });
});

describe('mapRoles', () => {
  const map = parseRoleMap(MAP);

  it('merges the roles of each organisation, each role once, in the order first named', () => {
    expect(mapRoles(['lisplan-sodermalm-samordnare', 'lisplan-kultur-it', 'lisplan-sodermalm-chef'], map)).toEqual({
      memberships: [
        { orgId: 'sodermalm', roles: ['security-coordinator', 'viewer', 'head-of-administration'] },
        { orgId: 'kultur', roles: ['it-coordinator'] },
      ],
      cityViewer: false,
    });
  });

  it('gives city viewer, and ignores values the map does not name', () => {
    expect(mapRoles(['lisplan-stad', 'some-other-group', 'lisplan-stad'], map)).toEqual({ memberships: [], cityViewer: true });
    expect(mapRoles([], map)).toEqual({ memberships: [], cityViewer: false });
  });

  it('is not fooled by repeated values', () => {
    expect(mapRoles(['lisplan-sodermalm-samordnare', 'lisplan-sodermalm-samordnare'], map).memberships).toEqual([
      { orgId: 'sodermalm', roles: ['security-coordinator'] },
    ]);
  });
});

describe('rolesClaimValues', () => {
  it('reads a string or an array of strings', () => {
    expect(rolesClaimValues({ groups: 'a' }, 'groups')).toEqual(['a']);
    expect(rolesClaimValues({ groups: ['a', 'b'] }, 'groups')).toEqual(['a', 'b']);
  });

  it('ignores what is not a string', () => {
    expect(rolesClaimValues({ groups: ['a', 1, null, { x: 'b' }] }, 'groups')).toEqual(['a']);
    expect(rolesClaimValues({ groups: 42 }, 'groups')).toEqual([]);
    expect(rolesClaimValues({}, 'groups')).toEqual([]);
  });

  it('reaches into nested claims with a dotted name (Keycloak realm roles)', () => {
    expect(rolesClaimValues({ realm_access: { roles: ['r1'] } }, 'realm_access.roles')).toEqual(['r1']);
    expect(rolesClaimValues({ 'realm_access.roles': 'flat' }, 'realm_access.roles')).toEqual(['flat']);
    expect(rolesClaimValues({ realm_access: 'x' }, 'realm_access.roles')).toEqual([]);
  });
});
