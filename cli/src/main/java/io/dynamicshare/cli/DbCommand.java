package io.dynamicshare.cli;

import io.dynamicshare.store.jdbc.JdbcSchema;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

import java.security.KeyStoreException;
import java.util.concurrent.Callable;

/** {@code dynamicshare db}: the database store's schema. */
@Command(name = "db", mixinStandardHelpOptions = true,
        description = "The PostgreSQL store's schema: 'init' applies it, 'schema' prints it for a DBA.",
        subcommands = {DbCommand.Init.class, DbCommand.Schema.class})
final class DbCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        throw new CliException(ExitCodes.USAGE, "name a subcommand: 'db init' or 'db schema'");
    }

    /** {@code db init}: creates the schema, or checks the one there. */
    @Command(name = "init", mixinStandardHelpOptions = true,
            description = {"Creates the DynamicShare tables and indexes in the database --store names (a jdbc: URL), "
                    + "in one transaction; upgrades a schema of version 1 (adds the branch key table); does nothing "
                    + "when this schema version is there already.",
                    "Refuses a database holding a schema version this release does not know (exit 1)."})
    static final class Init implements Callable<Integer> {
        @Mixin
        StoreOptions store;

        @Override
        public Integer call() {
            if (!store.isDatabase()) {
                throw new CliException(ExitCodes.USAGE, "db init needs a database: pass --store jdbc:postgresql://... "
                        + "(or set db.url in the configuration)");
            }
            try {
                JdbcSchema.init(store.databaseParameter());
            } catch (KeyStoreException e) {
                throw new CliException(ExitCodes.FAILED, Failures.message(e), e);
            }
            System.out.println("schema version " + JdbcSchema.VERSION + " ready in " + store.databaseParameter().url());
            return ExitCodes.OK;
        }
    }

    /** {@code db schema}: prints the DDL. */
    @Command(name = "schema", mixinStandardHelpOptions = true,
            description = "Prints the schema script (PostgreSQL DDL) that 'db init' applies, for a DBA to read or run.")
    static final class Schema implements Callable<Integer> {
        @Override
        public Integer call() {
            System.out.print(JdbcSchema.script());
            return ExitCodes.OK;
        }
    }
}
