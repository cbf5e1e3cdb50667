package dev.kinetic.image;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.event.events.ProgressEvent;
import com.google.cloud.tools.jib.event.progress.ProgressEventHandler;
import java.util.function.Consumer;

/** Forwards Jib's events to an {@link ImageBuildListener}: log lines at info and above, and overall progress. */
final class JibBridge {
    private final ImageBuildListener listener;

    JibBridge(ImageBuildListener listener) {
        this.listener = listener;
    }

    Consumer<LogEvent> logs() {
        return event -> {
            switch (event.getLevel()) {
                case ERROR, WARN, LIFECYCLE, INFO ->
                    listener.log(event.getLevel().name(), event.getMessage());
                default -> {} // debug and progress lines are Jib's internals
            }
        };
    }

    Containerizer attach(Containerizer containerizer) {
        return containerizer
                .addEventHandler(LogEvent.class, logs())
                .addEventHandler(
                        ProgressEvent.class, new ProgressEventHandler(u -> listener.progress(u.getProgress())));
    }
}
