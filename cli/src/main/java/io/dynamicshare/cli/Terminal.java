package io.dynamicshare.cli;

import java.io.Console;
import java.lang.reflect.Method;

/** Whether a human is at the keyboard: decides between prompting and requiring {@code --yes}. */
final class Terminal {
    private Terminal() {
    }

    /**
     * The console when stdin and stdout are a terminal, else null. From JDK 22 {@code System.console()}
     * may return a console even when redirected; {@code Console.isTerminal()} (called reflectively, as
     * this code is Java 8 bytecode) then tells the truth.
     */
    static Console interactive() {
        Console c = System.console();
        if (c == null) {
            return null;
        }
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return Boolean.TRUE.equals(isTerminal.invoke(c)) ? c : null;
        } catch (NoSuchMethodException e) {
            return c; // before JDK 22, a non-null console is a terminal
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Asks the user to type {@code alias} to confirm {@code action}; {@code yes} skips the prompt. Without a
     * terminal and without {@code --yes}, refuses: a script must say explicitly that it means it.
     *
     * @throws CliException with {@link ExitCodes#USAGE} when refused
     */
    static void confirm(String action, String alias, boolean yes) {
        if (yes) {
            return;
        }
        Console c = interactive();
        if (c == null) {
            throw new CliException(ExitCodes.USAGE, "refusing to " + action + " of alias '" + alias
                    + "' without confirmation: run it in a terminal and type the alias, or pass --yes");
        }
        String typed = c.readLine("About to %s of alias '%s'. Type the alias to confirm: ", action, alias);
        if (typed == null || !typed.trim().equals(alias)) {
            throw new CliException(ExitCodes.USAGE, "confirmation did not match the alias: nothing was done");
        }
    }
}
