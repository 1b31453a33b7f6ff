package io.dynamicshare.shaded.com.sun.jna;

import java.util.Locale;

/**
 * Stand-in for JNA's {@code Platform} in the drop-in ({@code -all}) jar only: the OS questions and nothing
 * native. The shade plugin relocates JNA references to this package, and this is the one class of it shipped.
 *
 * <p>Why: azure-identity asks JNA which OS it runs on before trying its developer credentials
 * ({@code IntelliJCacheAccessor} before reading IntelliJ's keyring, {@code PowershellManager} and
 * {@code IdentityClient.authenticateWithAzurePowerShell} to choose {@code pwsh} or {@code powershell.exe}).
 * Those calls sit outside any guard, so without JNA the whole {@code DefaultAzureCredential} chain died with
 * {@code NoClassDefFoundError: com/sun/jna/Platform}. With this class they get a true answer; the keyring
 * access that follows needs real JNA and msal4j-persistence-extension, which the jar leaves out (their JNI
 * names cannot be relocated, and a server has no IDE keyring), and azure-identity catches that failure
 * ({@code catch (Exception | Error)}) and reports the IntelliJ credential as unavailable. The chain then goes
 * on to the next credential, or ends in a {@code CredentialUnavailableException} that names each one.
 *
 * <p>Same detection and constants as JNA 5 for the types azure-identity distinguishes; every other system is
 * {@link #UNSPECIFIED}. Never add native access here: nothing in the jar may load a native library.
 */
public final class Platform {
    public static final int UNSPECIFIED = -1;
    public static final int MAC = 0;
    public static final int LINUX = 1;
    public static final int WINDOWS = 2;
    public static final int WINDOWSCE = 6;
    public static final int ANDROID = 8;

    private static final int OS_TYPE = detect(System.getProperty("os.name", ""),
            System.getProperty("java.vm.name", ""));

    private Platform() {
    }

    static int detect(String osName, String vmName) {
        if (osName.startsWith("Linux")) {
            return "dalvik".equals(vmName.toLowerCase(Locale.ROOT)) ? ANDROID : LINUX;
        }
        if (osName.startsWith("Mac") || osName.startsWith("Darwin")) {
            return MAC;
        }
        if (osName.startsWith("Windows CE")) {
            return WINDOWSCE;
        }
        if (osName.startsWith("Windows")) {
            return WINDOWS;
        }
        return UNSPECIFIED;
    }

    public static int getOSType() {
        return OS_TYPE;
    }

    public static boolean isMac() {
        return OS_TYPE == MAC;
    }

    public static boolean isLinux() {
        return OS_TYPE == LINUX;
    }

    public static boolean isAndroid() {
        return OS_TYPE == ANDROID;
    }

    public static boolean isWindows() {
        return OS_TYPE == WINDOWS || OS_TYPE == WINDOWSCE;
    }

    public static boolean isWindowsCE() {
        return OS_TYPE == WINDOWSCE;
    }
}
