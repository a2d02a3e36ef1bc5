import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/**
 * Checks what the release profile deployed into a file repository against what Maven Central accepts and what a
 * user's build needs: {@code java .ci/CheckArtifacts.java REPOSITORY}. Run by .ci/check-artifacts.sh; prints one
 * line per failure and exits with status 1 if there is any.
 */
public final class CheckArtifacts {
    private static final String GROUP = "dev/defer/";
    private static final List<String> PUBLISHED =
            List.of("defer-runtime", "defer-instrument", "defer-agent", "defer-maven-plugin");
    /** Central's required elements; url, licenses, developers and scm may come from the parent pom. */
    private static final List<String> OWN = List.of("name", "description");
    private static final List<String> INHERITABLE = List.of("url", "licenses", "developers", "scm");

    private final List<String> failures = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length != 1) {
            System.err.println("usage: java .ci/CheckArtifacts.java REPOSITORY (the folder given to"
                    + " -DaltDeploymentRepository=staging::file:REPOSITORY)");
            System.exit(2);
        }
        CheckArtifacts check = new CheckArtifacts();
        check.run(Path.of(args[0]));
        check.failures.forEach(f -> System.out.println("FAIL " + f));
        if (!check.failures.isEmpty()) {
            System.exit(1);
        }
        System.out.println("artifacts OK: only defer-parent and " + PUBLISHED + ", each with a pom, a jar, a sources jar and a javadoc jar;"
                + " each jar with META-INF/LICENSE; the agent's pom has no compile or runtime dependency; ASM relocated inside the agent, with its licence");
    }

    private void run(Path repository) throws Exception {
        try (Stream<Path> folders = Files.list(repository.resolve(GROUP))) {
            List<String> deployed = folders.map(f -> f.getFileName().toString()).sorted().toList();
            List<String> expected = Stream.concat(Stream.of("defer-parent"), PUBLISHED.stream()).sorted().toList();
            require(deployed.equals(expected), "deployed " + deployed + ", expected exactly " + expected
                    + ": a module that is not published sets maven.deploy.skip and maven.install.skip in its pom");
        }
        Element parent = pom(single(repository, "defer-parent", ".pom"));
        for (String module : PUBLISHED) {
            Path pomFile = single(repository, module, ".pom");
            Element pom = pom(pomFile);
            for (String element : OWN) {
                require(text(pom, element) != null, module + ".pom has no <" + element + ">");
            }
            for (String element : INHERITABLE) {
                require(child(pom, element) != null || child(parent, element) != null,
                        module + ".pom and defer-parent.pom have no <" + element + ">");
            }
            Path jar = single(repository, module, ".jar");
            checkJar(jar, module, ".class");
            checkEntry(jar, "META-INF/LICENSE", "the project's licence (LICENSE at the top, copied by the parent pom's resources)");
            checkJar(single(repository, module, "-sources.jar"), module, ".java");
            checkJar(single(repository, module, "-javadoc.jar"), module, "index.html");
            if (module.equals("defer-agent")) {
                checkAgentPom(pom);
                checkAgentJar(jar);
                checkEntry(jar, "META-INF/LICENSE-ASM.txt", "ASM's BSD licence, which its redistribution in binary form requires");
            }
        }
    }

    /** The user's class path gets the shaded jar only: defer-instrument and ASM are inside it. */
    private void checkAgentPom(Element pom) {
        Element dependencies = child(pom, "dependencies");
        if (dependencies == null) {
            return;
        }
        for (Node n = dependencies.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element dependency) {
                String scope = text(dependency, "scope");
                require(scope != null && !scope.equals("compile") && !scope.equals("runtime"),
                        "defer-agent.pom is not dependency-reduced: it gives users " + text(dependency, "groupId")
                                + ":" + text(dependency, "artifactId") + " (scope " + (scope == null ? "compile" : scope) + "); set the shade"
                                + " plugin's createDependencyReducedPom to true in defer-agent/pom.xml");
            }
        }
    }

    private void checkAgentJar(Path jar) throws IOException {
        int relocated = 0;
        try (JarFile file = new JarFile(jar.toFile())) {
            require("dev.defer.agent.DeferAgent".equals(file.getManifest().getMainAttributes().getValue("Premain-Class")),
                    jar + " has no Premain-Class dev.defer.agent.DeferAgent: it is not the shaded agent");
            for (Enumeration<JarEntry> entries = file.entries(); entries.hasMoreElements();) {
                String name = entries.nextElement().getName();
                require(!name.startsWith("org/objectweb/"), jar + " holds " + name + ", ASM not relocated");
                if (name.startsWith("dev/defer/agent/internal/asm/")) {
                    relocated++;
                }
            }
        }
        require(relocated > 50, jar + " holds " + relocated + " relocated ASM classes, not the shaded ASM");
    }

    private void checkJar(Path jar, String module, String suffix) throws IOException {
        if (jar == null) {
            return;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            require(file.stream().anyMatch(e -> e.getName().endsWith(suffix)),
                    jar.getFileName() + " has no entry ending in " + suffix);
        }
    }

    private void checkEntry(Path jar, String entry, String what) throws IOException {
        if (jar == null) {
            return;
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            require(file.getEntry(entry) != null, jar.getFileName() + " has no " + entry + ": " + what);
        }
    }

    /** The one file of this artifact deployed with this suffix (a snapshot's name carries a timestamp). */
    private Path single(Path repository, String artifact, String suffix) throws IOException {
        Path folder = repository.resolve(GROUP + artifact);
        List<Path> found = new ArrayList<>();
        if (Files.isDirectory(folder)) {
            try (Stream<Path> files = Files.walk(folder)) {
                files.filter(f -> {
                    String name = f.getFileName().toString();
                    if (!name.startsWith(artifact + "-") || !name.endsWith(suffix)) {
                        return false;
                    }
                    // defer-agent-VERSION.jar, not defer-agent-VERSION-sources.jar, when looking for ".jar".
                    String rest = name.substring(0, name.length() - suffix.length());
                    return !rest.endsWith("-sources") && !rest.endsWith("-javadoc");
                }).forEach(found::add);
            }
        }
        require(found.size() == 1, artifact + ": expected one *" + suffix + " under " + folder + ", found " + found
                + " (was it built with -Prelease and deployed with -DaltDeploymentRepository?)");
        return found.size() == 1 ? found.get(0) : null;
    }

    private Element pom(Path file) throws Exception {
        if (file == null) {
            return null;
        }
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(file.toFile());
        return document.getDocumentElement();
    }

    private static Element child(Element parent, String name) {
        if (parent == null) {
            return null;
        }
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null || e.getTextContent().isBlank() ? null : e.getTextContent().trim();
    }

    private void require(boolean condition, String failure) {
        if (!condition) {
            failures.add(failure);
        }
    }
}
