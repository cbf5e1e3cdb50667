package dev.kinetic.backend.kubernetes;

import java.util.List;

/**
 * What the backend asks the API server to do in a job's namespace, for whoever submits: the Role that
 * {@code kinetic setup kubernetes} creates, and the permissions {@code kinetic doctor} asks about.
 */
final class Permissions {
    /** The Role's name. */
    static final String ROLE = "kinetic-submitter";

    /**
     * One rule of the Role.
     *
     * @param group the API group ("" for the core group)
     * @param resources resources, {@code pods/log} for a subresource
     * @param verbs verbs
     */
    record Rule(String group, List<String> resources, List<String> verbs) {}

    /**
     * Jobs to create, follow and delete; pods, their logs and Events to read; Services for multi-host jobs; Secrets for
     * captured environment values (created, made the Job's, deleted; never listed).
     */
    static final List<Rule> SUBMITTER = List.of(
            new Rule("batch", List.of("jobs"), List.of("create", "get", "list", "watch", "delete")),
            new Rule("", List.of("pods"), List.of("list", "watch")),
            new Rule("", List.of("pods/log"), List.of("get")),
            new Rule("", List.of("events"), List.of("list")),
            new Rule("", List.of("services"), List.of("create", "get", "delete")),
            new Rule("", List.of("secrets"), List.of("create", "get", "update", "patch", "delete")));

    private Permissions() {}
}
