package dev.kinetic.cli;

import dev.kinetic.spi.Preflight;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code kinetic doctor}: is everything in place to submit, and if not, what fixes it. */
@Command(
        name = "doctor",
        mixinStandardHelpOptions = true,
        header = "Check that jobs can be submitted here, and print the command that fixes each problem.",
        description = {
            "Checks, one line each with PASS, WARN or FAIL: the kubeconfig, its context and exec credential plugin; "
                    + "that the server answers with the credentials; the namespace; RBAC for every verb the backend "
                    + "uses (SelfSubjectAccessReview); the pods' service account and, for a gs:// store, its "
                    + "Workload Identity annotation; that the store takes a write, a read and a delete from this "
                    + "machine; the image or registry; with --accelerator, nodes with its labels.",
            "Changes nothing. Exit code 0 when no check fails (warnings allowed), 1 otherwise.",
            "With -o json: {\"ok\": bool, \"checks\": [{\"name\", \"status\", \"detail\", \"fix\"}]}."
        })
public final class DoctorCommand extends CommandBase {
    @Mixin
    OutputOption output;

    @Option(
            names = "--accelerator",
            paramLabel = "NAME",
            description = "Also check that nodes carry this accelerator's labels, e.g. l4 or tpu-v5e-4.")
    String accelerator;

    @Override
    public Integer call() {
        Doctor.Report report = Doctor.run(root().settings(spec), accelerator);
        Printer p = printer();
        if (output.json()) {
            p.json(report);
        } else {
            Table table = new Table("STATUS", "CHECK", "DETAIL", "FIX");
            for (Preflight.Check c : report.checks()) {
                table.row(c.status().name(), c.name(), c.detail(), c.fix() == null ? "-" : c.fix());
            }
            p.table(table);
            p.note("kinetic doctor: " + report.summary());
        }
        return report.ok() ? ExitCodes.OK : ExitCodes.FAILED;
    }
}
