package dev.defer;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a method whose body may call {@link Defer#defer(Deferred)}, or, on a type, every method the type
 * declares (constructors, static initialisers and compiler-generated methods such as lambda bodies
 * excepted: a lambda body is a method of its own).
 *
 * <p>The defer agent ({@code -javaagent:defer-agent.jar}) rewrites each such method when its class is
 * loaded: every {@code return} stores its value in the invocation's result slot, runs the deferred calls
 * last-in-first-out, and returns the slot; a throwable that leaves the body is a panic that the deferred
 * calls may {@link Defer#recover() recover}.
 *
 * <p>The annotation is retained at run time so that the error thrown for a method the agent did not
 * rewrite can tell "not annotated" from "annotated, but the agent is not running".
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface Defers {
}
