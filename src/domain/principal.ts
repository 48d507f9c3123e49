import type { RoleName } from './roles';

/** A person's roles in one organisation. */
export interface Membership {
  orgId: string;
  roles: RoleName[];
}


/** The authenticated caller of a request. */
export interface Principal {
  userId: string;
  name: string;
  memberships: Membership[];
  cityViewer: boolean;
  via: 'token' | 'oidc' | 'session';
  /** A personal API token reaches only the organisation it was made for. */
  tokenOrgId?: string;
}
