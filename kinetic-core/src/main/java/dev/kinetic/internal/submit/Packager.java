package dev.kinetic.internal.submit;

import dev.kinetic.Data;
import dev.kinetic.JobOptions;
import dev.kinetic.KineticException;
import dev.kinetic.internal.data.DataUploader;
import dev.kinetic.internal.data.StoreData;
import dev.kinetic.internal.engine.Engine;
import dev.kinetic.internal.protocol.CallPayload;
import dev.kinetic.internal.protocol.PayloadFile;
import dev.kinetic.spi.ClasspathSnapshot;
import dev.kinetic.spi.JobRecord;
import dev.kinetic.spi.accelerator.Accelerator;
import dev.kinetic.spi.accelerator.AcceleratorCatalog;
import dev.kinetic.spi.config.Settings;
import dev.kinetic.spi.config.SettingsResolver;
import dev.kinetic.spi.store.BlobStore;
import java.io.IOException;
import java.io.NotSerializableException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.UnaryOperator;

/**
 * The first step of a submission: validates the options, resolves names and settings ({@link #prepare}), serializes
 * each call with its data ({@link #serialize}) and snapshots the classpath into the store ({@link #withClasspath}).
 * Nothing of the job itself is written here, so a call that cannot be shipped leaves no trace.
 */
public final class Packager {
    private final Engine engine;
    private final AcceleratorCatalog catalog = AcceleratorCatalog.builtIn();

    public Packager(Engine engine) {
        this.engine = engine;
    }

    /** Validates options and resolves names; writes nothing. */
    public JobTemplate prepare(Object function, JobOptions options) {
        Accelerator accelerator = catalog.parse(options.accelerator());
        Settings effective = effectiveSettings(options);
        FunctionNames.Name name = FunctionNames.of(function);
        String shortName = options.displayName() != null ? options.displayName() : name.shortName();
        Map<String, String> captured = capturedEnv(options.captureEnv());
        return new JobTemplate(
                options,
                effective,
                shortName,
                name.definingClass(),
                List.copyOf(captured.keySet()),
                captured,
                List.of(),
                accelerator.idPart(),
                hosts(accelerator, options));
    }

    /**
     * How many hosts run the job: a TPU slice's own count, which {@code hosts(n)} may only confirm; for any other
     * accelerator {@code hosts(n)}, else 1.
     */
    static int hosts(Accelerator accelerator, JobOptions options) {
        int asked = options.hosts();
        if (!accelerator.kind().equals("tpu")) {
            return asked == 0 ? 1 : asked;
        }
        if (asked != 0 && asked != accelerator.hosts()) {
            throw new KineticException("accelerator '" + options.accelerator() + "' is a TPU slice of "
                    + accelerator.hosts() + " host" + (accelerator.hosts() == 1 ? "" : "s") + " ("
                    + accelerator.topology() + "), but hosts(" + asked + ") asks for " + asked
                    + ": leave hosts unset, set it to " + accelerator.hosts()
                    + ", or pick a slice of that many hosts (see `kinetic accelerators`)");
        }
        return accelerator.hosts();
    }

    /** A template rebuilt from stored facts, to submit a stored payload again (batches, resume). */
    public JobTemplate restore(
            JobOptions options,
            String function,
            String definingClass,
            List<String> envNames,
            List<JobRecord.Artifact> classpath) {
        // The values were never stored: this JVM's own, where it has them (a batch resumed elsewhere needs them too).
        Map<String, String> values = new LinkedHashMap<>();
        for (String n : envNames) {
            String v = engine.settings().environment().get(n);
            if (v != null) {
                values.put(n, v);
            }
        }
        return new JobTemplate(
                options,
                effectiveSettings(options),
                function,
                definingClass,
                envNames,
                values,
                classpath,
                catalog.parse(options.accelerator()).idPart(),
                hosts(catalog.parse(options.accelerator()), options));
    }

    /**
     * Serializes one call, uploading its local data and checking its store data (a URI that matches no object fails
     * here, naming it); writes nothing of the job and names the type that is not serializable.
     */
    public byte[] serialize(JobTemplate template, CallPayload call) {
        return serialize(template, call, engine.store(template.settings().store()));
    }

    /** {@link #serialize(JobTemplate, CallPayload)} with data uploaded to {@code store}. */
    byte[] serialize(JobTemplate template, CallPayload call, BlobStore store) {
        try {
            DataUploader uploader = new DataUploader(store, engine.transferListener());
            // Local data is uploaded; store data is checked (and a URI naming a prefix without its slash settled).
            UnaryOperator<Data> ship = d -> d.localSource() != null
                    ? d.uploadedAs(uploader.upload(d.localSource()))
                    : d.storeUri() != null ? StoreData.resolve(d, engine::store) : d;
            List<PayloadFile.DataRef> refs = new ArrayList<>();
            Map<String, String> volumes = new LinkedHashMap<>();
            template.options().volumes().forEach((mount, data) -> {
                Data shipped = ship.apply(data);
                refs.add(new PayloadFile.DataRef(shipped.key(), shipped.treeSha256(), shipped.storeUri()));
                volumes.put(mount, shipped.key());
            });
            PayloadFile.Header header = new PayloadFile.Header(
                    template.envNames(), Map.of(), template.options().outputDir(), refs, volumes);
            return PayloadFile.write(header, call, ship);
        } catch (NotSerializableException e) {
            throw new KineticException(
                    "the function cannot be shipped: it captures a value of type " + e.getMessage()
                            + ", which is not Serializable. Make that type Serializable, mark the field transient, or create "
                            + "the value inside the function.",
                    e);
        } catch (IOException e) {
            throw new KineticException("the function cannot be serialized: " + e, e);
        }
    }

    /** Snapshots {@code classpath} into the store (uploading only what it lacks). */
    public JobTemplate withClasspath(JobTemplate template, List<Path> classpath) {
        return withClasspath(
                template, classpath, engine.store(template.settings().store()));
    }

    /** {@link #withClasspath(JobTemplate, List)} into {@code store}. */
    JobTemplate withClasspath(JobTemplate template, List<Path> classpath, BlobStore store) {
        if (classpath.isEmpty()) {
            throw new KineticException("the classpath is empty: nothing to run. Pass the jars or class directories "
                    + "that hold your code");
        }
        List<JobRecord.Artifact> snapshot = new ClasspathSnapshot(
                        template.settings().home().resolve("cache"))
                .snapshot(classpath, store, engine.transferListener());
        return template.withClasspath(snapshot);
    }

    /** The session's settings with the options' store, backend and backend settings applied. */
    private Settings effectiveSettings(JobOptions options) {
        Settings settings = engine.settings();
        if (options.store() == null
                && options.backend() == null
                && options.backendSettings().isEmpty()) {
            return settings;
        }
        Map<String, String> explicit = new LinkedHashMap<>(settings.values());
        explicit.putAll(options.backendSettings());
        if (options.store() != null) {
            explicit.put(SettingsResolver.STORE, options.store());
        }
        if (options.backend() != null) {
            explicit.put(SettingsResolver.BACKEND, options.backend());
        }
        explicit.remove(SettingsResolver.PROFILE);
        return new SettingsResolver(settings.environment()).resolve(explicit);
    }

    /** The values of the variables {@code patterns} name; a name without {@code *} must be set. */
    private Map<String, String> capturedEnv(List<String> patterns) {
        Map<String, String> environment = engine.settings().environment();
        Map<String, String> out = new TreeMap<>();
        for (String p : patterns) {
            if (p.endsWith("*")) {
                String prefix = p.substring(0, p.length() - 1);
                environment.forEach((k, v) -> {
                    if (k.startsWith(prefix)) {
                        out.put(k, v);
                    }
                });
            } else {
                String v = environment.get(p);
                if (v == null) {
                    throw new KineticException("captureEnv names " + p + ", but it is not set in this environment; "
                            + "set it, or capture it by pattern (" + p + "*) to make it optional");
                }
                out.put(p, v);
            }
        }
        return out;
    }
}
