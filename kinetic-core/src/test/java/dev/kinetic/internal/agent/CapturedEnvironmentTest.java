package dev.kinetic.internal.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kinetic.internal.protocol.CallPayload;
import dev.kinetic.internal.protocol.PayloadFile;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Captured values come from the agent's environment; payloads of the old format still carry theirs. */
class CapturedEnvironmentTest {
    @Test
    void aNewPayloadNamesTheVariablesOnlyAndTheAgentEnvironmentSuppliesTheValues() throws Exception {
        byte[] payload = PayloadFile.write(
                new PayloadFile.Header(List.of("WANDB_API_KEY"), Map.of(), null, List.of(), Map.of()),
                CallPayload.of(() -> 1));
        assertThat(new String(payload, StandardCharsets.ISO_8859_1)).contains("WANDB_API_KEY");
        PayloadFile.Header header = PayloadFile.readHeader(new ByteArrayInputStream(payload));
        assertThat(header.captured()).containsExactly("WANDB_API_KEY");
        assertThat(header.legacyValues()).isEmpty();
        assertThat(CapturedEnvironment.resolve(header, Map.of("WANDB_API_KEY", "sk-1", "OTHER", "x")))
                .containsExactly(Map.entry("WANDB_API_KEY", "sk-1"));
        assertThatThrownBy(() -> CapturedEnvironment.resolve(header, Map.of()))
                .isInstanceOf(AgentFailure.class)
                .hasMessageContaining("[WANDB_API_KEY] did not reach this attempt");
    }

    @Test
    void aPayloadOfTheOldFormatStillRunsWithTheValuesItCarries() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.write("KINETIC-PAYLOAD-1\n".getBytes(StandardCharsets.US_ASCII));
        out.writeInt(1);
        out.writeUTF("WANDB_API_KEY");
        out.writeUTF("sk-old");
        out.writeUTF("");
        out.writeInt(0);
        out.writeInt(0);
        PayloadFile.Header header = PayloadFile.readHeader(new ByteArrayInputStream(bytes.toByteArray()));
        assertThat(header.captured()).containsExactly("WANDB_API_KEY");
        assertThat(CapturedEnvironment.resolve(header, Map.of())).containsExactly(Map.entry("WANDB_API_KEY", "sk-old"));
        assertThat(header.toString()).doesNotContain("sk-old");
    }
}
