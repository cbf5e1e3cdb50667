package dev.kinetic.internal.gc;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kinetic.internal.batch.BatchLayout;
import dev.kinetic.internal.batch.BatchManifest;
import dev.kinetic.internal.protocol.PayloadFile;
import dev.kinetic.spi.JobLayout;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.Json;
import dev.kinetic.spi.store.BlobStore;
import java.io.IOException;
import java.io.InputStream;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Everything under {@code cas/} that the jobs and batches left in a store still use: classpath entries, data trees
 * and the files in them. Records and manifests written before they listed their data trees are read the old way,
 * from their payloads' headers.
 *
 * @param cas the referenced {@code cas/} hashes
 * @param trees the referenced data trees (each also in {@code cas})
 */
record References(Set<String> cas, Set<String> trees) {

    static References of(BlobStore store, List<JobRecord> jobs, List<BatchManifest> batches) {
        Set<String> cas = new HashSet<>();
        Set<String> trees = new HashSet<>();
        for (JobRecord r : jobs) {
            r.classpath().forEach(a -> cas.add(a.sha256()));
            trees.addAll(r.dataTrees() != null ? r.dataTrees() : treesIn(store, JobLayout.payload(r.id())));
        }
        for (BatchManifest m : batches) {
            m.classpath().forEach(a -> cas.add(a.sha256()));
            if (m.dataTrees() != null) {
                trees.addAll(m.dataTrees());
            } else {
                for (int i = 0; i < m.size(); i++) {
                    trees.addAll(treesIn(store, BatchLayout.input(m.id(), i)));
                }
            }
        }
        for (String tree : trees) {
            cas.add(tree);
            cas.addAll(filesOf(store, tree));
        }
        return new References(Set.copyOf(cas), Set.copyOf(trees));
    }

    /** The tree a data marker ({@code data/<tree>/complete}) stands for, or null for another key. */
    static String treeOfMarker(String key) {
        if (!key.startsWith(JobLayout.DATA) || !key.endsWith("/complete")) {
            return null;
        }
        return key.substring(JobLayout.DATA.length(), key.length() - "/complete".length());
    }

    /** The data trees a stored payload's header names; none when it is gone or unreadable. */
    private static List<String> treesIn(BlobStore store, String payloadKey) {
        try (InputStream in = store.open(payloadKey)) {
            return PayloadFile.readHeader(in).data().stream()
                    .filter(ref -> ref.treeSha256() != null)
                    .map(PayloadFile.DataRef::treeSha256)
                    .toList();
        } catch (IOException | RuntimeException gone) {
            return List.of();
        }
    }

    /** The hashes of a data tree's files, from its listing in {@code cas/<tree>}. */
    private static Set<String> filesOf(BlobStore store, String tree) {
        Set<String> files = new HashSet<>();
        Optional<byte[]> listing = store.get(JobLayout.cas(tree));
        if (listing.isEmpty()) {
            return files;
        }
        try {
            JsonNode entries = Json.MAPPER.readTree(listing.get());
            for (JsonNode e : entries.isArray() ? entries : entries.path("entries")) {
                if (e.hasNonNull("sha256")) {
                    files.add(e.get("sha256").asText());
                }
            }
        } catch (IOException damaged) {
            // a damaged tree listing references nothing; its marker goes with it
        }
        return files;
    }
}
