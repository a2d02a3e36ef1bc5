#!/usr/bin/env bash
# The README's "Use it in your project", followed word for word by a new user: with an empty local Maven
# repository, runs the section's install command in this checkout, creates a scratch project whose pom holds the
# section's XML snippet, with a @Defers class, a JUnit test and a Failsafe one, runs `mvn verify` (the tests
# run under the agent by prepare-agent; instrument-jar rewrites the jar), then the section's
# `java -cp app.jar:defer-runtime-...jar` command without the agent, and the IDE's -javaagent path with the
# classes as compiled.
#
# The commands and the snippet are read from README.md, so the README and this check cannot drift. The local
# repository is emptied through MAVEN_OPTS=-Dmaven.repo.local=...: the commands run exactly as written (no
# option added to them), nothing is installed into ~/.m2, and everything else, the build plugins included, comes
# from Maven Central as it would for someone who never built with Maven.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

fail() { echo "scratch-project: $*" >&2; exit 1; }

section=$(awk '/^## Use it in your project$/ { inside = 1; next } /^## / { inside = 0 } inside' README.md)
[ -n "$section" ] || fail "README.md has no '## Use it in your project' section"
install=$(printf '%s\n' "$section" | grep -m 1 '^    mvn ' | sed 's/^    //') \
  || fail "the README section has no indented 'mvn ...' install command"
snippet=$(printf '%s\n' "$section" | awk '/^```xml$/ { inside = 1; next } /^```$/ { inside = 0 } inside')
[ -n "$snippet" ] || fail "the README section has no \`\`\`xml block (the dependency and the plugin)"
run_line=$(printf '%s\n' "$section" | grep -o 'java -cp app\.jar:[^`]*' | head -n 1) \
  || fail "the README section has no 'java -cp app.jar:...' command"
ide_agent=$(printf '%s\n' "$section" | grep -o -- '-javaagent:/path/to/\.m2/repository/[^`]*' | head -n 1) \
  || fail "the README section has no IDE '-javaagent:/path/to/.m2/repository/...' option"

work=$(mktemp -d "${TMPDIR:-/tmp}/defer-scratch.XXXXXX")
trap 'rm -rf "$work"' EXIT
repo="$work/m2/repository"
export MAVEN_OPTS="${MAVEN_OPTS:-} -Dmaven.repo.local=$repo"

echo "-- the README's install step, in $root: $install"
start=$SECONDS
bash -euo pipefail -c "$install"
echo "-- installed in $((SECONDS - start)) s"
agent_pom="$repo/dev/defer/defer-agent/0.1.0-SNAPSHOT/defer-agent-0.1.0-SNAPSHOT.pom"
[ -f "$agent_pom" ] || fail "the install step did not install $agent_pom"
# The agent jar holds defer-instrument and ASM: its installed pom must not put them on a user's class path.
if grep -q -e '<artifactId>defer-instrument</artifactId>' -e '<groupId>org.ow2.asm</groupId>' "$agent_pom"; then
  fail "the installed $agent_pom is not dependency-reduced: it names defer-instrument or ASM"
fi

project="$work/app"
mkdir -p "$project/src/main/java/com/example" "$project/src/test/java/com/example"
# The README asks for Java 17+, Surefire 3.x and compiler plugin 3.x "as any current build": Maven 3.8's
# defaults (Surefire 2.12) do not run JUnit 5 at all.
cat > "$project/pom.xml" <<EOF
<?xml version="1.0" encoding="UTF-8"?>
<project xmlns="http://maven.apache.org/POM/4.0.0"
         xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
         xsi:schemaLocation="http://maven.apache.org/POM/4.0.0 https://maven.apache.org/xsd/maven-4.0.0.xsd">
  <modelVersion>4.0.0</modelVersion>
  <groupId>com.example</groupId>
  <artifactId>app</artifactId>
  <version>1.0</version>
  <properties>
    <maven.compiler.release>17</maven.compiler.release>
    <project.build.sourceEncoding>UTF-8</project.build.sourceEncoding>
  </properties>
$(printf '%s\n' "$snippet" | sed 's/^/  /')
  <dependencyManagement>
    <dependencies>
      <dependency>
        <groupId>org.junit.jupiter</groupId>
        <artifactId>junit-jupiter</artifactId>
        <version>5.14.1</version>
        <scope>test</scope>
      </dependency>
    </dependencies>
  </dependencyManagement>
</project>
EOF
# The snippet's <dependencies> and <build> stay as written; the test dependency and the plugin versions of
# "any current build" are added to them, not to the snippet's text.
perl -0pi -e 's#</dependencies>\n  <build>#  <dependency>\n      <groupId>org.junit.jupiter</groupId>\n      <artifactId>junit-jupiter</artifactId>\n    </dependency>\n  </dependencies>\n  <build>\n    <pluginManagement>\n      <plugins>\n        <plugin>\n          <artifactId>maven-compiler-plugin</artifactId>\n          <version>3.14.0</version>\n        </plugin>\n        <plugin>\n          <artifactId>maven-surefire-plugin</artifactId>\n          <version>3.5.4</version>\n        </plugin>\n      </plugins>\n    </pluginManagement>#' "$project/pom.xml"
# Failsafe beside the snippet's plugin: the README says prepare-agent serves it too.
perl -0pi -e 's#</plugins>\n  </build>#  <plugin>\n        <artifactId>maven-failsafe-plugin</artifactId>\n        <version>3.5.4</version>\n        <executions>\n          <execution>\n            <goals>\n              <goal>integration-test</goal>\n              <goal>verify</goal>\n            </goals>\n          </execution>\n        </executions>\n      </plugin>\n    </plugins>\n  </build>#' "$project/pom.xml"
grep -q 'maven-surefire-plugin' "$project/pom.xml" && grep -q 'maven-failsafe-plugin' "$project/pom.xml" \
  || fail "could not add JUnit, Surefire and Failsafe to the README's snippet: $(cat "$project/pom.xml")"

cat > "$project/src/main/java/com/example/Main.java" <<'EOF'
package com.example;

import dev.defer.Defer;
import dev.defer.Defers;

public class Main {
    @Defers
    static String steps(StringBuilder log) {
        Defer.defer(() -> log.append("first deferred;"));
        Defer.defer(() -> log.append("second deferred;"));
        log.append("body;");
        return log.toString();
    }

    @Defers
    static String recovered() {
        Defer.defer(() -> {
            Object panic = Defer.recover();
            Defer.setResult("recovered " + ((Throwable) panic).getMessage());
        });
        throw new IllegalStateException("boom");
    }

    public static void main(String[] args) {
        StringBuilder log = new StringBuilder();
        steps(log);
        System.out.println(log);
        System.out.println(recovered());
    }
}
EOF
cat > "$project/src/test/java/com/example/MainTest.java" <<'EOF'
package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class MainTest {
    @Test
    void deferredCallsRunLastInFirstOutAfterTheBody() {
        StringBuilder log = new StringBuilder();
        assertEquals("body;", Main.steps(log));
        assertEquals("body;second deferred;first deferred;", log.toString());
    }

    @Test
    void recoverStopsThePanic() {
        assertEquals("recovered boom", Main.recovered());
    }
}
EOF

cat > "$project/src/test/java/com/example/MainIT.java" <<'EOF'
package com.example;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Test;

class MainIT {
    @Test
    void failsafeRunsUnderTheAgentToo() {
        assertNotNull(System.getProperty("dev.defer.agent"), "prepare-agent's argLine did not reach Failsafe");
        assertEquals("recovered boom", Main.recovered());
    }
}
EOF

expected=$'body;second deferred;first deferred;\nrecovered boom'
cd "$project"
# The README says mvn package; verify is package and Failsafe's integration tests after it.
echo "-- mvn -B verify in the scratch project (tests under the agent, the jar rewritten)"
start=$SECONDS
mvn -B -q verify
echo "-- built in $((SECONDS - start)) s"
grep -q 'Tests run: 2, Failures: 0, Errors: 0, Skipped: 0' target/surefire-reports/com.example.MainTest.txt \
  || fail "Surefire did not run the scratch project's tests: $(cat target/surefire-reports/*.txt)"
grep -q 'Tests run: 1, Failures: 0, Errors: 0, Skipped: 0' target/failsafe-reports/com.example.MainIT.txt \
  || fail "Failsafe did not run the scratch project's integration test: $(cat target/failsafe-reports/*.txt)"

echo "-- the README's run command, without the agent: $run_line"
cp target/app-1.0.jar app.jar
cp "$repo/dev/defer/defer-runtime/0.1.0-SNAPSHOT/defer-runtime-0.1.0-SNAPSHOT.jar" .
out=$(bash -euo pipefail -c "$run_line")
[ "$out" = "$expected" ] || fail "the rewritten jar printed '$out', expected '$expected'"

agent_option=${ide_agent/\/path\/to\/.m2\/repository/$repo}
echo "-- the IDE's VM option, with target/classes as compiled: ${ide_agent}"
out=$(java "$agent_option" -cp "target/classes:defer-runtime-0.1.0-SNAPSHOT.jar" com.example.Main)
[ "$out" = "$expected" ] || fail "target/classes under the agent printed '$out', expected '$expected'"
echo "scratch project OK: the README's install step, dependency and plugin, tests under the agent, the jar without it"
