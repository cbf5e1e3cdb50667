package dev.kinetic.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.cloud.tools.jib.api.DescriptorDigest;
import com.google.cloud.tools.jib.api.ImageReference;
import com.google.cloud.tools.jib.event.EventHandlers;
import com.google.cloud.tools.jib.http.FailoverHttpClient;
import com.google.cloud.tools.jib.image.json.BuildableManifestTemplate;
import com.google.cloud.tools.jib.registry.RegistryClient;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/** Reads back what a test pushed to the {@link LocalRegistry}: manifest, config and the file names in layers. */
final class RegistryReader {
    private final RegistryClient client;
    private final FailoverHttpClient http = new FailoverHttpClient(true, false, e -> {});

    RegistryReader(ImageReference image) {
        client = RegistryClient.factory(EventHandlers.NONE, image.getRegistry(), image.getRepository(), http)
                .newRegistryClient();
    }

    BuildableManifestTemplate manifest(String qualifier) throws Exception {
        return (BuildableManifestTemplate) client.pullManifest(qualifier).getManifest();
    }

    /** The number of layers of {@code reference} (another repository of the same registry). */
    int manifestLayers(String reference) throws Exception {
        ImageReference ref = ImageReference.parse(reference);
        RegistryClient other = RegistryClient.factory(EventHandlers.NONE, ref.getRegistry(), ref.getRepository(), http)
                .newRegistryClient();
        return ((BuildableManifestTemplate)
                        other.pullManifest(ref.getQualifier()).getManifest())
                .getLayers()
                .size();
    }

    JsonNode config(String qualifier) throws Exception {
        return new ObjectMapper()
                .readTree(blob(manifest(qualifier).getContainerConfiguration().getDigest()));
    }

    List<String> layerFiles(DescriptorDigest layer) throws Exception {
        List<String> names = new ArrayList<>();
        try (InputStream in = new java.io.ByteArrayInputStream(blob(layer));
                TarArchiveInputStream tar = new TarArchiveInputStream(new GZIPInputStream(in))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                if (!e.isDirectory()) {
                    names.add("/" + e.getName().replaceFirst("^\\./", "").replaceFirst("^/", ""));
                }
            }
        }
        return names;
    }

    private byte[] blob(DescriptorDigest digest) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        client.pullBlob(digest, size -> {}, size -> {}).writeTo(out);
        return out.toByteArray();
    }
}
