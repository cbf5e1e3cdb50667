package dev.kinetic.spi.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.KineticException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SettingsResolverTest {
    @TempDir
    Path home;

    @Test
    void explicitBeatsEnvironmentBeatsProfileBeatsDefault() {
        Profiles profiles = new Profiles(home.resolve("profiles.json"));
        profiles.put("team", Map.of("store", "s3://team/kinetic", "backend", "kubernetes", "namespace", "ml"));
        profiles.use("team");
        Map<String, String> env = Map.of("KINETIC_HOME", home.toString(), "KINETIC_BACKEND", "local");

        Settings s = new SettingsResolver(env).resolve(Map.of("namespace", "research"));

        assertThat(s.store().toString()).isEqualTo("s3://team/kinetic");
        assertThat(s.sources())
                .containsEntry("store", "profile")
                .containsEntry("backend", "env")
                .containsEntry("namespace", "flag")
                .containsEntry("home", "env")
                .containsEntry("profile", "profile");
        assertThat(s.backend()).isEqualTo("local");
        assertThat(s.get("namespace")).contains("research");
        assertThat(s.profile()).isEqualTo("team");
    }

    @Test
    void defaultsPutTheStoreUnderHome() {
        Settings s = new SettingsResolver(Map.of("KINETIC_HOME", home.toString())).resolve(Map.of());
        assertThat(s.store()).isEqualTo(home.resolve("store").toUri());
        assertThat(s.backend()).isEqualTo("local");
        assertThat(s.sources()).containsEntry("store", "default").containsEntry("backend", "default");
    }

    @Test
    void aMissingProfileIsAClearError() {
        Map<String, String> env = Map.of("KINETIC_HOME", home.toString(), "KINETIC_PROFILE", "nope");
        assertThatThrownBy(() -> new SettingsResolver(env).resolve(Map.of()))
                .isInstanceOf(KineticException.class)
                .hasMessageContaining("'nope'")
                .hasMessageContaining("kinetic profile");
    }

    @Test
    void plainPathsAndRelativeFileUrisBecomeAbsoluteFileStores() {
        Settings s = new SettingsResolver(Map.of("KINETIC_HOME", home.toString(), "KINETIC_STORE", home + "/elsewhere"))
                .resolve(Map.of());
        assertThat(s.store()).isEqualTo(home.resolve("elsewhere").toUri());
    }

    @Test
    void profilesAreWrittenAtomicallyAndRemoved() {
        Profiles profiles = new Profiles(home.resolve("profiles.json"));
        profiles.put("a", Map.of("backend", "local"));
        profiles.use("a");
        assertThat(profiles.active()).contains("a");
        assertThat(profiles.remove("a")).isTrue();
        assertThat(profiles.active()).isEmpty();
        assertThat(home.resolve("profiles.json")).exists();
        assertThatThrownBy(() -> profiles.put("bad name!", Map.of())).hasMessageContaining("invalid profile name");
    }
}
