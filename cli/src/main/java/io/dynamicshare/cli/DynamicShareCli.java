package io.dynamicshare.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UnsupportedEncodingException;
import java.nio.charset.StandardCharsets;

/**
 * The {@code dynamicshare} command line: a DynamicShareKeyStore of Dynamic server-wallet key shares,
 * operated from a shell. Run {@code java -jar dynamicshare.jar --help}.
 *
 * <p>Expected failures print one {@code error: ...} line on stderr and exit with a code from
 * {@code --help}: 0 success, 1 operation failed, 2 usage error or refused confirmation, 3 alias or store
 * not found, 4 store integrity failure. No command ever prints key shares except {@code show --reveal}
 * after a confirmation.
 */
@Command(name = "dynamicshare", mixinStandardHelpOptions = true, version = "dynamicshare 0.1.0",
        description = {"Keeps Dynamic server-wallet key shares in a DynamicShareKeyStore: each wallet's "
                + "externalServerKeyShares encrypted under its own data key, wrapped by a KEK, with its "
                + "walletMetadata beside it.",
                "New here? Run 'dynamicshare quickstart' (no cloud account needed)."},
        footer = {"%nEnvironment:",
                "  " + StoreOptions.STORE_ENV + "   the default --store",
                "  " + StoreOptions.CONFIG_ENV + "  the default --config",
                "Audit events (logger io.dynamicshare.audit) are not printed; to record them,",
                "run: java -Djava.util.logging.config.file=FILE -jar dynamicshare.jar ..."},
        subcommands = {QuickstartCommand.class, ImportCommand.class, ListCommand.class, ShowCommand.class,
                UpdateMetadataCommand.class, ReplaceCommand.class, RewrapCommand.class, RekeyCommand.class,
                InventoryCommand.class, VerifyCommand.class, ExportEntryCommand.class, RecoverCommand.class,
                DeleteCommand.class, RotateBranchKeyCommand.class, DbCommand.class, MigrateCommand.class})
public final class DynamicShareCli implements Runnable {
    @Spec
    CommandSpec spec;

    /** Without a command there is nothing to do: a usage error. */
    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command");
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs one command line and returns its exit code (never calls System.exit). */
    public static int run(String... args) {
        useUtf8Streams();
        LogSetup.configure();
        return commandLine().execute(args);
    }

    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new DynamicShareCli());
        cl.setOut(new PrintWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8), true));
        cl.setErr(new PrintWriter(new OutputStreamWriter(System.err, StandardCharsets.UTF_8), true));
        cl.setExecutionExceptionHandler((e, cmd, parseResult) -> {
            CliException failure = Failures.of(e);
            System.out.flush();
            cmd.getErr().println("error: " + failure.getMessage());
            return failure.exitCode();
        });
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine cmd = e.getCommandLine();
            // picocli's own messages may start with "Error: "; ours already says "error:".
            String message = Failures.message(e).replaceFirst("^Error: ", "");
            cmd.getErr().println("error: " + message + " (see '"
                    + cmd.getCommandSpec().qualifiedName() + " --help')");
            return ExitCodes.USAGE;
        });
        documentExitCodes(cl, cl.getCommandSpec().version());
        return cl;
    }

    /**
     * Every command's --help ends with the exit codes, so scripts know what to test for; every command's
     * --version answers like the top level's.
     */
    private static void documentExitCodes(CommandLine cl, String[] version) {
        cl.getCommandSpec().version(version);
        cl.getCommandSpec().usageMessage().exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCodes.descriptions());
        for (CommandLine sub : cl.getSubcommands().values()) {
            documentExitCodes(sub, version);
        }
    }

    /** JSON output and wallet metadata are UTF-8 whatever the platform's default charset. */
    private static void useUtf8Streams() {
        try {
            System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.out), true, "UTF-8"));
            System.setErr(new PrintStream(new FileOutputStream(FileDescriptor.err), true, "UTF-8"));
        } catch (UnsupportedEncodingException e) {
            throw new IllegalStateException("UTF-8 is always supported", e);
        }
    }
}
