package dev.kinetic.spi;

import dev.kinetic.KineticException;
import dev.kinetic.spi.store.BlobStore;
import dev.kinetic.spi.store.TransferListener;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Snapshots a classpath into the store's content-addressed area: every jar, and every class directory packed
 * deterministically into a jar, is stored once under {@code cas/<sha256>}. An unchanged project uploads nothing.
 *
 * <p>Hashes of unchanged files are remembered in {@code <cacheDir>} by path, size and modification time, so a
 * resubmit does not re-read a large classpath.
 */
public final class ClasspathSnapshot {
    /** A fixed, timezone-independent timestamp for packed entries, so an unchanged build packs identically. */
    private static final LocalDateTime FIXED_TIME = LocalDateTime.of(2000, 1, 1, 0, 0);

    private final Path cacheDir;

    public ClasspathSnapshot(Path cacheDir) {
        this.cacheDir = cacheDir;
    }

    /** The entries of this JVM's classpath that exist, with jars' manifest {@code Class-Path} expanded. */
    public static List<Path> currentClasspath() {
        return expand(System.getProperty("java.class.path", ""));
    }

    /** Parses a {@code :}-separated classpath, keeping existing entries in order, without duplicates. */
    public static List<Path> expand(String classpath) {
        Set<Path> out = new LinkedHashSet<>();
        for (String part : classpath.split(File.pathSeparator)) {
            if (!part.isBlank()) {
                addWithManifest(Path.of(part).toAbsolutePath().normalize(), out);
            }
        }
        return new ArrayList<>(out);
    }

    private static void addWithManifest(Path entry, Set<Path> out) {
        if (!Files.exists(entry) || !out.add(entry) || Files.isDirectory(entry)) {
            return;
        }
        try (JarFile jar = new JarFile(entry.toFile(), false)) {
            Manifest manifest = jar.getManifest();
            String cp = manifest == null ? null : manifest.getMainAttributes().getValue(Attributes.Name.CLASS_PATH);
            if (cp == null) {
                return;
            }
            for (String ref : cp.trim().split("\\s+")) {
                if (ref.isEmpty()) {
                    continue;
                }
                Path resolved;
                try {
                    URI uri = entry.getParent().toUri().resolve(ref);
                    resolved = "file".equals(uri.getScheme()) ? Path.of(uri) : null;
                } catch (IllegalArgumentException e) {
                    resolved = null;
                }
                if (resolved != null) {
                    addWithManifest(resolved.normalize(), out);
                }
            }
        } catch (IOException e) {
            // not a readable jar: it is still snapshotted as a file, as the JVM would try to use it
        }
    }

    /**
     * Hashes every entry and uploads those the store lacks.
     *
     * @return one artifact per entry, in classpath order
     */
    public List<JobRecord.Artifact> snapshot(List<Path> entries, BlobStore store, TransferListener listener) {
        if (entries.isEmpty()) {
            throw new KineticException("the classpath is empty: nothing to run. Pass the jars or class directories "
                    + "that hold your code (e.g. --classpath app.jar:lib/*)");
        }
        List<JobRecord.Artifact> out = new ArrayList<>();
        for (Path entry : entries) {
            try {
                out.add(
                        Files.isDirectory(entry)
                                ? snapshotDirectory(entry, store, listener)
                                : snapshotFile(entry, store, listener));
            } catch (IOException e) {
                throw new KineticException("cannot snapshot classpath entry " + entry + ": " + e.getMessage(), e);
            }
        }
        return out;
    }

    private JobRecord.Artifact snapshotFile(Path file, BlobStore store, TransferListener listener) throws IOException {
        BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
        String stamp =
                file + "|" + attrs.size() + "|" + attrs.lastModifiedTime().toMillis();
        String sha = cachedHash(stamp);
        if (sha == null) {
            sha = Hashing.sha256(file);
            rememberHash(stamp, sha);
        }
        String key = JobLayout.cas(sha);
        if (!store.exists(key)) {
            store.put(key, file, listener);
        }
        return new JobRecord.Artifact(sha, attrs.size(), file.getFileName().toString());
    }

    private JobRecord.Artifact snapshotDirectory(Path dir, BlobStore store, TransferListener listener)
            throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(dir)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        // The fingerprint of names, sizes and times stands for the packed jar's hash while nothing changed.
        StringBuilder listing = new StringBuilder(dir.toString());
        for (Path f : files) {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            listing.append('\n')
                    .append(dir.relativize(f))
                    .append('|')
                    .append(a.size())
                    .append('|')
                    .append(a.lastModifiedTime().toMillis());
        }
        String stamp = "dir:" + Hashing.sha256(listing.toString().getBytes(StandardCharsets.UTF_8));
        String name = dir.getFileName() + ".jar";
        String known = cachedHash(stamp);
        if (known != null && store.exists(JobLayout.cas(known))) {
            long size = store.stat(JobLayout.cas(known)).map(b -> b.size()).orElse(0L);
            return new JobRecord.Artifact(known, size, name);
        }
        Files.createDirectories(cacheDir);
        Path jar = Files.createTempFile(cacheDir, "packed-", ".jar");
        try {
            pack(dir, files, jar);
            String sha = Hashing.sha256(jar);
            rememberHash(stamp, sha);
            if (!store.exists(JobLayout.cas(sha))) {
                store.put(JobLayout.cas(sha), jar, listener);
            }
            return new JobRecord.Artifact(sha, Files.size(jar), name);
        } finally {
            Files.deleteIfExists(jar);
        }
    }

    /** Packs files in sorted order with fixed timestamps, so identical trees give identical bytes. */
    static void pack(Path dir, List<Path> files, Path jar) throws IOException {
        try (OutputStream raw = Files.newOutputStream(jar);
                ZipOutputStream zip = new ZipOutputStream(raw)) {
            Set<String> dirs = new LinkedHashSet<>();
            for (Path f : files) {
                String name = dir.relativize(f).toString().replace(File.separatorChar, '/');
                for (int i = name.indexOf('/'); i >= 0; i = name.indexOf('/', i + 1)) {
                    String parent = name.substring(0, i + 1);
                    if (dirs.add(parent)) {
                        ZipEntry d = new ZipEntry(parent);
                        d.setTimeLocal(FIXED_TIME);
                        zip.putNextEntry(d);
                        zip.closeEntry();
                    }
                }
                ZipEntry e = new ZipEntry(name);
                e.setTimeLocal(FIXED_TIME);
                zip.putNextEntry(e);
                Files.copy(f, zip);
                zip.closeEntry();
            }
        }
    }

    private String cachedHash(String stamp) {
        try {
            Path p = hashFile(stamp);
            if (Files.exists(p)) {
                String sha = Files.readString(p).trim();
                return sha.matches("[0-9a-f]{64}") ? sha : null;
            }
        } catch (IOException e) {
            // a broken cache entry only costs a re-hash
        }
        return null;
    }

    private void rememberHash(String stamp, String sha) {
        try {
            Path p = hashFile(stamp);
            Files.createDirectories(p.getParent());
            Path tmp = Files.createTempFile(p.getParent(), "h", ".tmp");
            Files.writeString(tmp, sha);
            Files.move(tmp, p, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            // the cache is an optimisation; failing to write it is not an error
        }
    }

    private Path hashFile(String stamp) {
        MessageDigest d = Hashing.sha256();
        return cacheDir.resolve("hashes").resolve(Hashing.hex(d.digest(stamp.getBytes(StandardCharsets.UTF_8))));
    }
}
