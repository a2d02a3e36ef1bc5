package dev.defer.instrument;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.security.SecureRandom;
import java.util.Locale;
import java.util.Set;

/**
 * Writes a file through a temporary sibling, so that it is never seen half-written, with the permissions a user
 * expects of it: those of the file it replaces or was made from, and for a new file what the umask gives.
 *
 * <p>{@link Files#createTempFile} is not used: it creates its file with mode 0600 whatever the umask, and that
 * mode would survive the move, leaving rewritten classes readable by their owner only (a service running as
 * another user then fails with {@code NoClassDefFoundError}, and a jar built from them records 0600).
 */
final class FileReplacement {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Writes the content of a file to a stream. */
    @FunctionalInterface
    interface Content {
        /**
         * @param out the temporary file's stream, closed by the caller
         * @throws IOException when the content cannot be produced or written
         */
        void writeTo(OutputStream out) throws IOException;
    }

    private FileReplacement() {
    }

    /**
     * Writes {@code destination} through a temporary sibling moved over it.
     *
     * @param destination the file to write or replace; its folder is created if needed
     * @param permissionsOf the file whose POSIX permissions the result takes (the file replaced, or the one it
     *     was made from); null, a missing file, or a file system without POSIX permissions leaves the new
     *     file's permissions as the umask made them
     * @param atomic whether the move must be atomic (it then fails where the file system cannot do it)
     * @param content what to write
     * @throws IOException when the file cannot be written
     */
    static void write(Path destination, Path permissionsOf, boolean atomic, Content content) throws IOException {
        Path parent = destination.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        // Read before writing: permissionsOf may be the destination itself, replaced below.
        Set<PosixFilePermission> permissions = posixPermissions(permissionsOf);
        Path temporary = createSibling(parent, destination.getFileName().toString());
        try {
            try (OutputStream out = Files.newOutputStream(temporary)) {
                content.writeTo(out);
            }
            PosixFileAttributeView target = Files.getFileAttributeView(temporary, PosixFileAttributeView.class);
            if (permissions != null && target != null) {
                // Only where both file systems have POSIX permissions: a copy onto one without keeps its defaults.
                target.setPermissions(permissions);
            }
            if (atomic) {
                Files.move(temporary, destination, StandardCopyOption.REPLACE_EXISTING,
                        StandardCopyOption.ATOMIC_MOVE);
            } else {
                Files.move(temporary, destination, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The file's POSIX permissions, or null when it does not exist or its file system has none. */
    private static Set<PosixFilePermission> posixPermissions(Path file) throws IOException {
        if (file == null || !Files.exists(file)) {
            return null;
        }
        PosixFileAttributeView view = Files.getFileAttributeView(file, PosixFileAttributeView.class);
        return view == null ? null : view.readAttributes().permissions();
    }

    /** A new empty file beside the destination, created as any file is, so that the umask applies. */
    private static Path createSibling(Path parent, String name) throws IOException {
        for (int attempt = 0;; attempt++) {
            Path candidate = parent.resolve(name + "." + Long.toUnsignedString(RANDOM.nextLong(), 36)
                    .toLowerCase(Locale.ROOT) + ".tmp");
            try {
                return Files.createFile(candidate);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }
}
