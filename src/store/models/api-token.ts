import { Schema, type Connection, type Model } from 'mongoose';

/**
 * A personal API token for automation. Only the SHA-256 of the token is stored (as _id), so a
 * leaked database does not leak tokens; the token itself is shown once, at creation.
 */
export interface ApiTokenDoc {
  _id: string;
  /** Public id for listing and revoking. */
  tokenId: string;
  userId: string;
  orgId: string;
  name: string;
  createdAt: Date;
  expiresAt: Date;
  revokedAt?: Date;
}

const schema = new Schema<ApiTokenDoc>(
  {
    _id: { type: String, required: true },
    tokenId: { type: String, required: true },
    userId: { type: String, required: true },
    orgId: { type: String, required: true },
    name: { type: String, required: true },
    createdAt: { type: Date, required: true },
    expiresAt: { type: Date, required: true },
    revokedAt: { type: Date },
  },
  { collection: 'api_tokens', versionKey: false },
);
schema.index({ tokenId: 1 }, { unique: true });
schema.index({ userId: 1 });

export function apiTokenModel(conn: Connection): Model<ApiTokenDoc> {
  return conn.models.ApiToken ?? conn.model<ApiTokenDoc>('ApiToken', schema);
}
