import type { Membership } from '../../domain/principal';


/** Who a valid OpenID Connect token says the caller is, with roles mapped from its claims. */
export interface OidcIdentity {
  /** The provider's stable subject id (`sub`). */
  subject: string;
  name: string;
  email?: string;
  memberships: Membership[];
  cityViewer: boolean;
}

/** Authentication failed: the API answers 401 with this reason (never the token itself). */
export class AuthError extends Error {
  override readonly name = 'AuthError';
}
