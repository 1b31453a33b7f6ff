-- DynamicShare KeyStore, database schema version 2: branch keys (hierarchical mode, kek.mode=hierarchical).
--
-- Upgrades a version-1 database; applied after V1__dynamicshare.sql on a new one. `dynamicshare db init`
-- (JdbcSchema.init) runs it in one transaction. Additive: no version-1 table or column changes.
--
-- Statements are separated by a line holding only ';' so that JdbcSchema can run them one by one.

-- The branch key of each version a store holds, as a DER StoreKeyBlock of purpose "DynamicShareKeyStore/3 branch
-- key" (docs/FORMAT.md "Branch keys"): wrapped by the KEK (and, for an RSA KEK, signed by it) and bound to the store
-- id and the version, so only the vault's holder can have made one and a block moved to another store or version
-- does not open. The primary key makes creating a version a create-if-absent: two instances making the same version
-- at once keep exactly one block.
CREATE TABLE IF NOT EXISTS dynamicshare_branch_key (
  store_id    uuid NOT NULL REFERENCES dynamicshare_store (store_id),
  version     bigint NOT NULL CHECK (version >= 1),
  block       bytea NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (store_id, version)
)
;
INSERT INTO dynamicshare_schema (version) VALUES (2) ON CONFLICT (version) DO NOTHING
;
