-- DynamicShare KeyStore, database schema version 1 (PostgreSQL 12 or later).
--
-- Applied by `dynamicshare db init` (JdbcSchema.init) in one transaction, or by a DBA by hand. The code refuses a
-- database whose dynamicshare_schema holds a version it does not know. docs/FORMAT.md ("Database rows") describes
-- what each column holds and which ones are authenticated; docs/SECURITY.md what a database writer can and cannot do.
--
-- Statements are separated by a line holding only ';' so that JdbcSchema can run them one by one.

CREATE TABLE IF NOT EXISTS dynamicshare_schema (
  version     integer PRIMARY KEY,
  applied_at  timestamptz NOT NULL DEFAULT now()
)
;
-- One row per store. A store is (database, namespace); store_id is the 16-byte store id that every entry's
-- authenticated binding names, so a row copied from another store never verifies here.
CREATE TABLE IF NOT EXISTS dynamicshare_store (
  store_id    uuid PRIMARY KEY,
  namespace   varchar(255) NOT NULL UNIQUE,
  key_epoch   bigint NOT NULL,               -- the current key epoch: what new rows are sealed and tagged under
  created_at  timestamptz NOT NULL DEFAULT now()
)
;
-- The store key of each key epoch that rows still use, as a DER StoreKeyBlock (docs/FORMAT.md): wrapped by the KEK
-- (and, for an RSA KEK, signed by it), so only the vault's holder can have made one.
CREATE TABLE IF NOT EXISTS dynamicshare_store_key (
  store_id         uuid NOT NULL REFERENCES dynamicshare_store (store_id),
  key_epoch        bigint NOT NULL,
  store_key_block  bytea NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, key_epoch)
)
;
-- The storage guide's table (Dynamic, "Storing server key shares": server_wallet_key_shares), with what a store
-- needs on top: store_id and alias (unique together), the entry tag and its key epoch, a row version and updated_at.
CREATE TABLE IF NOT EXISTS server_wallet_key_shares (
  id                    uuid PRIMARY KEY,
  store_id              uuid NOT NULL REFERENCES dynamicshare_store (store_id),
  alias                 varchar(256) NOT NULL,  -- EntryLimits.MAX_ALIAS_BYTES: at most 256 bytes of UTF-8
  wallet_id             varchar(255) NOT NULL,  -- copied from walletMetadata for SQL; not trusted on read
  account_address       varchar(255) NOT NULL,  -- copied from walletMetadata for SQL; not trusted on read
  -- The entry exactly as a file store holds it: a CMS AuthEnvelopedData (RFC 5083) in DER, AES-256-GCM under the
  -- entry's own data key, the data key wrapped by the KEK. Authenticated by entry_tag.
  encrypted_key_shares  bytea NOT NULL,
  -- The recipients' KEK ids, comma-separated. Widened from the guide's varchar(255): one Azure key id with its
  -- version is about 100 characters, and an entry may have several recipients. Not trusted on read.
  encryption_key_id     text NOT NULL,
  encryption_algorithm  varchar(50) NOT NULL DEFAULT 'AES-256-GCM',
  -- A non-authenticated copy of walletMetadata, for SQL queries; the authenticated copy inside the DER always wins.
  -- NULL when the document holds a character jsonb cannot store (\u0000, an unpaired surrogate escape).
  wallet_metadata       jsonb,
  -- HMAC-SHA256 under the store key of key_epoch over the alias and encrypted_key_shares (docs/FORMAT.md).
  entry_tag             bytea NOT NULL,
  key_epoch             bigint NOT NULL,        -- equals the epoch inside the entry's authenticated binding
  row_version           bigint NOT NULL DEFAULT 1,  -- + 1 on every write (optimistic concurrency)
  -- timestamptz, not the guide's timestamp: instances in other time zones must agree on the instant.
  created_at            timestamptz NOT NULL DEFAULT now(),
  updated_at            timestamptz NOT NULL DEFAULT now(),
  last_accessed_at      timestamptz,
  -- bigint, not the guide's integer: a wallet read on every signing request passes 2^31 reads within years.
  access_count          bigint NOT NULL DEFAULT 0,
  CONSTRAINT server_wallet_key_shares_store_alias UNIQUE (store_id, alias)
)
;
-- The guide's INDEX lines are MySQL syntax; PostgreSQL creates indexes with their own statements.
CREATE INDEX IF NOT EXISTS idx_wallet_id ON server_wallet_key_shares (wallet_id)
;
CREATE INDEX IF NOT EXISTS idx_account_address ON server_wallet_key_shares (account_address)
;
-- countBehind (rekey progress): rows of a store whose key epoch is behind the current one.
CREATE INDEX IF NOT EXISTS idx_store_key_epoch ON server_wallet_key_shares (store_id, key_epoch)
;
INSERT INTO dynamicshare_schema (version) VALUES (1) ON CONFLICT (version) DO NOTHING
;
