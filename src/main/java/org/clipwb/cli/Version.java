package org.clipwb.cli;

import picocli.CommandLine;

/** The version from the jar manifest, or "development" when run from classes. */
final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
        String version = Version.class.getPackage().getImplementationVersion();
        return new String[] {"clipwb " + (version == null ? "development" : version)};
    }
}
