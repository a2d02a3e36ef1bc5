package dev.defer.difftest;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;

/**
 * One random program over a small tree of statements, printed twice: as Go functions and as a Java class
 * whose methods are {@code @Defers}. The program is a function of its seed; {@link #removed} lists the
 * statement ids a shrink dropped (a dropped statement takes its subtree with it).
 *
 * <p>The shape, and what it deliberately leaves out because the contract differs from Go on purpose:
 * <ul>
 * <li>Functions {@code f0..fn} take the recursion depth {@code d} and return an {@code int} (Go: named
 *     result {@code r}). A function calls only higher-numbered ones, and itself under {@code if d < 2}.</li>
 * <li>Locals that closures see are {@code a := 0} in Go and {@code int[] a = {0}} in Java (S3: a lambda
 *     captures values; a holder gives Go's capture by reference).</li>
 * <li>The result slot is read and written only in the body ({@code r = k}, bare {@code return}) and
 *     directly in a deferred closure of the function itself, never from a helper: Java's
 *     {@code Defer.result()} is dynamic (the innermost invocation), Go's {@code r} lexical (S5).</li>
 * <li>Values and panic values are small {@code int}s; never {@code panic(nil)} (S10: Go 1.21's
 *     {@code PanicNilError}), never a runtime error (Go's {@code runtime.Error} and Java's exceptions
 *     differ), never {@code Goexit}, goroutines or threads.</li>
 * <li>A deferred closure never defers (Java: a lambda body is its own method, S13); functions that defer
 *     are reached from closures by calling them.</li>
 * <li>Method references are static references to methods declared with the arguments as passed, never
 *     {@code super::} or varargs (javac makes those lambda bodies, so their {@code recover()} is a
 *     helper's: README, known limits).</li>
 * <li>Statements after a {@code return} or a {@code panic} would be unreachable in Java; both always sit
 *     under an {@code if}.</li>
 * <li>{@code int} is 64 bits in Go and 32 in Java: values only grow by small additions.</li>
 * </ul>
 */
final class Program implements Runner.Case {
    enum Kind {
        PRINT, PRINT_A, PRINT_R, PRINT_I, ADD_A, SET_R, CALL, SELF, CALL_H, RECOVER, REPANIC, PANIC, RETURN,
        IF, LOOP, DEFER_CLOSURE, DEFER_H, DEFER_H_CLOSURE, DEFER_RECOVER, DEFER_CALL
    }

    /** One statement; {@code id} is unique in the program and labels its trace lines. */
    static final class Stmt {
        final int id;
        final Kind kind;
        int k;            // constant, target function or helper, loop count, panic value
        String cond;      // condition, as a tiny expression over a, d, i (rendered per language)
        String arg1, arg2;
        boolean bare;     // RETURN: bare return (Go) / return the slot (Java)
        final List<Stmt> body = new ArrayList<>();

        Stmt(int id, Kind kind) {
            this.id = id;
            this.kind = kind;
        }
    }

    static final class Fn {
        final int index;
        final List<Stmt> body = new ArrayList<>();
        Stmt last; // the final return, never removed

        Fn(int index) {
            this.index = index;
        }
    }

    static final class Helper {
        final int index;
        boolean recovers;
        int panicIfAtLeast = -1;
        int panicValue;

        Helper(int index) {
            this.index = index;
        }
    }

    final long seed;
    final List<Fn> fns = new ArrayList<>();
    final List<Helper> helpers = new ArrayList<>();
    final Set<Integer> removed;
    /** Distinguishes the names of programs of one seed that run in the same batch (shrink candidates). */
    final int variant;
    private int nextId;

    private Program(long seed, Set<Integer> removed, int variant) {
        this.seed = seed;
        this.variant = variant;
        this.removed = Collections.unmodifiableSet(new TreeSet<>(removed));
    }

    static Program generate(long seed) {
        return generate(seed, Set.of());
    }

    static Program generate(long seed, Set<Integer> removed) {
        return generate(seed, removed, 0);
    }

    static Program generate(long seed, Set<Integer> removed, int variant) {
        Program p = new Program(seed, removed, variant);
        new Gen(p, new Random(seed * 0x9E3779B97F4A7C15L + 17)).run();
        return p;
    }

    Program without(int id, int variant) {
        Set<Integer> r = new TreeSet<>(removed);
        r.add(id);
        return generate(seed, r, variant);
    }

    Program named(int variant) {
        return generate(seed, removed, variant);
    }

    String name() {
        return (seed < 0 ? "m" : "") + Math.abs(seed) + (variant > 0 ? "_v" + variant : "");
    }

    @Override
    public String goId() {
        return "p" + name();
    }

    @Override
    public String javaClass() {
        return "P" + name();
    }

    /**
     * Ids of the statements still present (not removed, nor inside a removed one, in a function reachable
     * from f0), final returns excluded.
     */
    List<Integer> presentStatements() {
        List<Integer> ids = new ArrayList<>();
        Set<Integer> reach = reachable();
        for (Fn f : fns) {
            if (reach.contains(f.index)) {
                collect(f.body, ids);
            }
        }
        return ids;
    }

    int size() {
        return presentStatements().size();
    }

    /** Functions reachable from f0 through present statements ([0..n)), then helpers reachable ([n..)). */
    private Set<Integer> reachable() {
        Set<Integer> fnsSeen = new TreeSet<>();
        Set<Integer> reach = new TreeSet<>();
        List<Integer> todo = new ArrayList<>(List.of(0));
        while (!todo.isEmpty()) {
            int j = todo.remove(todo.size() - 1);
            if (fnsSeen.add(j)) {
                reach.add(j);
                uses(fns.get(j).body, todo, reach);
            }
        }
        return reach;
    }

    private void uses(List<Stmt> list, List<Integer> todo, Set<Integer> reach) {
        for (Stmt s : list) {
            if (removed.contains(s.id)) {
                continue;
            }
            if (s.kind == Kind.CALL || s.kind == Kind.DEFER_CALL) {
                todo.add(s.k);
            } else if (s.kind == Kind.CALL_H || s.kind == Kind.DEFER_H || s.kind == Kind.DEFER_H_CLOSURE) {
                reach.add(fns.size() + s.k);
            }
            uses(s.body, todo, reach);
        }
    }

    private void collect(List<Stmt> list, List<Integer> ids) {
        for (Stmt s : list) {
            if (!removed.contains(s.id)) {
                ids.add(s.id);
                collect(s.body, ids);
            }
        }
    }

    // ------------------------------------------------------------------ generation

    private static final class Gen {
        final Program p;
        final Random rnd;
        int fnCount;

        Gen(Program p, Random rnd) {
            this.p = p;
            this.rnd = rnd;
        }

        void run() {
            fnCount = 1 + rnd.nextInt(4);
            int helperCount = 1 + rnd.nextInt(2);
            for (int h = 0; h < helperCount; h++) {
                Helper helper = new Helper(h);
                helper.recovers = rnd.nextInt(3) > 0;
                if (rnd.nextInt(3) == 0) {
                    helper.panicIfAtLeast = rnd.nextInt(4);
                    helper.panicValue = 900 + h;
                }
                p.helpers.add(helper);
            }
            for (int j = 0; j < fnCount; j++) {
                Fn f = new Fn(j);
                Ctx c = new Ctx(j);
                int n = 2 + rnd.nextInt(6);
                for (int s = 0; s < n; s++) {
                    f.body.add(bodyStmt(c, 0));
                }
                Stmt ret = stmt(Kind.RETURN);
                int which = rnd.nextInt(3);
                ret.bare = which == 0;
                ret.arg1 = which == 1 ? "a" : String.valueOf(rnd.nextInt(50));
                ret.cond = "true";
                f.last = ret;
                p.fns.add(f);
            }
        }

        final class Ctx {
            final int fn;
            int calls;
            boolean self;
            boolean inLoop;

            Ctx(int fn) {
                this.fn = fn;
            }
        }

        Stmt stmt(Kind kind) {
            return new Stmt(p.nextId++, kind);
        }

        String cond(Ctx c) {
            switch (rnd.nextInt(c.inLoop ? 6 : 5)) {
                case 0: return "a >= " + rnd.nextInt(4);
                case 1: return "a < " + rnd.nextInt(4);
                case 2: return "d == " + rnd.nextInt(3);
                case 3: return "d >= 0";
                case 4: return "d < " + rnd.nextInt(3);
                default: return "i == " + rnd.nextInt(3);
            }
        }

        String arg(Ctx c) {
            switch (rnd.nextInt(c.inLoop ? 4 : 3)) {
                case 0: return "a";
                case 1: return "d";
                case 2: return String.valueOf(rnd.nextInt(10));
                default: return "i";
            }
        }

        boolean callable(Ctx c) {
            return c.fn + 1 < fnCount && c.calls < 2;
        }

        Stmt call(Ctx c, Kind kind) {
            Stmt s = stmt(kind);
            s.k = c.fn + 1 + rnd.nextInt(fnCount - c.fn - 1);
            c.calls++;
            return s;
        }

        Stmt helperCall(Ctx c, Kind kind) {
            Stmt s = stmt(kind);
            s.k = rnd.nextInt(p.helpers.size());
            s.arg1 = arg(c);
            s.arg2 = arg(c);
            return s;
        }

        Stmt simple(Ctx c, boolean closure) {
            while (true) {
                switch (rnd.nextInt(9)) {
                    case 0: return stmt(Kind.PRINT);
                    case 1: return stmt(Kind.PRINT_A);
                    case 2: {
                        Stmt s = stmt(Kind.ADD_A);
                        s.k = 1 + rnd.nextInt(3);
                        return s;
                    }
                    case 3: return stmt(Kind.PRINT_R);
                    case 4: {
                        Stmt s = stmt(Kind.SET_R);
                        s.k = 1 + rnd.nextInt(20);
                        return s;
                    }
                    case 5: {
                        if (!callable(c)) {
                            continue;
                        }
                        return call(c, Kind.CALL);
                    }
                    case 6: {
                        if (c.self || c.inLoop) {
                            continue;
                        }
                        c.self = true;
                        return stmt(Kind.SELF);
                    }
                    case 7: return helperCall(c, Kind.CALL_H);
                    default: {
                        Stmt s = stmt(Kind.PANIC);
                        s.cond = cond(c);
                        s.k = 100 + s.id;
                        return s;
                    }
                }
            }
        }

        Stmt closureStmt(Ctx c, int depth) {
            int x = rnd.nextInt(14);
            if (x < 4) {
                Stmt s = stmt(Kind.RECOVER);
                return s;
            }
            if (x == 4 || x == 8) {
                return stmt(Kind.REPANIC);
            }
            if (x == 5 && c.inLoop) {
                return stmt(Kind.PRINT_I);
            }
            if (x == 6) {
                Stmt s = stmt(Kind.RETURN);
                s.cond = cond(c);
                s.bare = true;
                return s;
            }
            if (x == 7 && depth < 1) {
                Stmt s = stmt(Kind.IF);
                s.cond = cond(c);
                int n = 1 + rnd.nextInt(2);
                for (int i = 0; i < n; i++) {
                    s.body.add(closureStmt(c, depth + 1));
                }
                return s;
            }
            return simple(c, true);
        }

        Stmt deferStmt(Ctx c) {
            while (true) {
                int x = rnd.nextInt(10);
                if (x < 5) {
                    Stmt s = stmt(Kind.DEFER_CLOSURE);
                    int n = 1 + rnd.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        s.body.add(closureStmt(c, 0));
                    }
                    return s;
                }
                if (x == 5 || x == 6) {
                    return helperCall(c, Kind.DEFER_H);
                }
                if (x == 7) {
                    return helperCall(c, Kind.DEFER_H_CLOSURE);
                }
                if (x == 8) {
                    return stmt(Kind.DEFER_RECOVER);
                }
                if (callable(c)) {
                    return call(c, Kind.DEFER_CALL);
                }
            }
        }

        Stmt bodyStmt(Ctx c, int depth) {
            int x = rnd.nextInt(17);
            if (x < 6) {
                return deferStmt(c);
            }
            if (x == 6) {
                Stmt s = stmt(Kind.RETURN);
                s.cond = cond(c);
                s.bare = rnd.nextBoolean();
                s.arg1 = rnd.nextBoolean() ? "a" : String.valueOf(rnd.nextInt(50));
                return s;
            }
            if (x == 7) {
                return stmt(Kind.RECOVER);
            }
            if (x == 8 && depth == 0) {
                Stmt s = stmt(Kind.LOOP);
                s.k = rnd.nextInt(4);
                c.inLoop = true;
                int n = 1 + rnd.nextInt(3);
                for (int i = 0; i < n; i++) {
                    s.body.add(rnd.nextInt(3) == 0 ? (rnd.nextBoolean() ? stmt(Kind.PRINT_I) : simpleNoSelf(c))
                            : deferStmt(c));
                }
                c.inLoop = false;
                return s;
            }
            if ((x == 10 || x == 11) && callable(c)) {
                return call(c, rnd.nextBoolean() ? Kind.CALL : Kind.DEFER_CALL);
            }
            if (x == 9 && depth == 0) {
                Stmt s = stmt(Kind.IF);
                s.cond = cond(c);
                int n = 1 + rnd.nextInt(3);
                for (int i = 0; i < n; i++) {
                    s.body.add(bodyStmt(c, depth + 1));
                }
                return s;
            }
            return simple(c, false);
        }

        Stmt simpleNoSelf(Ctx c) {
            Stmt s = simple(c, false);
            return s;
        }
    }

    // ------------------------------------------------------------------ rendering

    /** Renders an expression over a, d, i: Go spells them as they are, Java reads the holder and the copy. */
    private static String expr(String e, boolean java) {
        if (!java) {
            return e;
        }
        return e.replaceAll("\\ba\\b", "a[0]").replaceAll("\\bi\\b", "ii");
    }

    /** The Go functions of this program, and a function {@code pN()} that runs f0(0) and reports an escape. */
    @Override
    public String go() {
        StringBuilder b = new StringBuilder();
        String id = goId();
        String out = "out(\"" + id + "\", ";
        b.append("func ").append(id).append("() {\n");
        b.append("\tdefer func() {\n\t\tif e := recover(); e != nil {\n\t\t\t").append(out)
                .append("\"escaped:\", e)\n\t\t}\n\t}()\n");
        b.append("\t").append(out).append("\"ret:\", ").append(id).append("_f0(0))\n}\n\n");
        Set<Integer> reach = reachable();
        for (Helper h : helpers) {
            if (!reach.contains(fns.size() + h.index)) {
                continue;
            }
            b.append("func ").append(id).append("_h").append(h.index).append("(x, y int) {\n");
            b.append("\t").append(out).append("\"h").append(h.index).append("\", x, y)\n");
            if (h.recovers) {
                b.append("\t{\n\t\tp := recover()\n\t\t").append(out).append("\"h").append(h.index)
                        .append(" rec\", p)\n\t}\n");
            }
            if (h.panicIfAtLeast >= 0) {
                b.append("\tif x >= ").append(h.panicIfAtLeast).append(" {\n\t\tpanic(").append(h.panicValue)
                        .append(")\n\t}\n");
            }
            b.append("}\n\n");
        }
        for (Fn f : fns) {
            if (!reach.contains(f.index)) {
                continue;
            }
            b.append("func ").append(id).append("_f").append(f.index).append("(d int) (r int) {\n");
            b.append("\ta := 0\n\t_ = a\n");
            goList(b, f, f.body, 1, false);
            goStmt(b, f, f.last, 1, false);
            b.append("}\n\n");
        }
        return b.toString();
    }

    private void goList(StringBuilder b, Fn f, List<Stmt> list, int ind, boolean closure) {
        for (Stmt s : list) {
            if (!removed.contains(s.id)) {
                goStmt(b, f, s, ind, closure);
            }
        }
    }

    private void goStmt(StringBuilder b, Fn f, Stmt s, int ind, boolean closure) {
        String t = "\t".repeat(ind);
        String id = goId();
        String out = "out(\"" + id + "\", \"s" + s.id + "\"";
        switch (s.kind) {
            case PRINT: b.append(t).append(out).append(")\n"); break;
            case PRINT_A: b.append(t).append(out).append(", a)\n"); break;
            case PRINT_R: b.append(t).append(out).append(", r)\n"); break;
            case PRINT_I: b.append(t).append(out).append(", i)\n"); break;
            case ADD_A: b.append(t).append("a += ").append(s.k).append("\n"); break;
            case SET_R:
                b.append(t).append(closure ? "r += " : "r = ").append(s.k).append("\n");
                break;
            case CALL:
                b.append(t).append(out).append(", ").append(id).append("_f").append(s.k).append("(d+1))\n");
                break;
            case SELF:
                b.append(t).append("if d < 2 {\n").append(t).append("\t").append(out).append(", ").append(id)
                        .append("_f").append(f.index).append("(d+1))\n").append(t).append("}\n");
                break;
            case CALL_H:
                b.append(t).append(id).append("_h").append(s.k).append("(").append(s.arg1).append(", ")
                        .append(s.arg2).append(")\n");
                break;
            case RECOVER:
                b.append(t).append("{\n").append(t).append("\tp := recover()\n").append(t).append("\t").append(out)
                        .append(", p)\n").append(t).append("}\n");
                break;
            case REPANIC:
                b.append(t).append("if p := recover(); p != nil {\n").append(t).append("\t").append(out)
                        .append(", \"re\", p)\n").append(t).append("\tpanic(p.(int) + 1000)\n").append(t).append("}\n");
                break;
            case PANIC:
                b.append(t).append("if ").append(s.cond).append(" {\n").append(t).append("\tpanic(").append(s.k)
                        .append(")\n").append(t).append("}\n");
                break;
            case RETURN: {
                String ret = closure || s.bare ? "return" : "return " + s.arg1;
                if ("true".equals(s.cond)) {
                    b.append(t).append(ret).append("\n");
                } else {
                    b.append(t).append("if ").append(s.cond).append(" {\n").append(t).append("\t").append(ret)
                            .append("\n").append(t).append("}\n");
                }
                break;
            }
            case IF:
                b.append(t).append("if ").append(s.cond).append(" {\n");
                goList(b, f, s.body, ind + 1, closure);
                b.append(t).append("}\n");
                break;
            case LOOP:
                b.append(t).append("for i := 0; i < ").append(s.k).append("; i++ {\n").append(t)
                        .append("\ti := i\n").append(t).append("\t_ = i\n");
                goList(b, f, s.body, ind + 1, closure);
                b.append(t).append("}\n");
                break;
            case DEFER_CLOSURE:
                b.append(t).append("defer func() {\n");
                goList(b, f, s.body, ind + 1, true);
                b.append(t).append("}()\n");
                break;
            case DEFER_H:
                b.append(t).append("defer ").append(id).append("_h").append(s.k).append("(").append(s.arg1)
                        .append(", ").append(s.arg2).append(")\n");
                break;
            case DEFER_H_CLOSURE:
                b.append(t).append("defer func() { ").append(id).append("_h").append(s.k).append("(").append(s.arg1)
                        .append(", ").append(s.arg2).append(") }()\n");
                break;
            case DEFER_RECOVER:
                b.append(t).append("defer recover()\n");
                break;
            case DEFER_CALL:
                b.append(t).append("defer ").append(id).append("_f").append(s.k).append("(d+1)\n");
                break;
            default:
                throw new AssertionError(s.kind);
        }
    }

    /** The Java class: one {@code @Defers} method per function, helpers, and {@code run()} returning the trace. */
    @Override
    public String java() {
        StringBuilder b = new StringBuilder();
        String cls = javaClass();
        b.append("import dev.defer.*;\n\n");
        b.append("public class ").append(cls).append(" {\n");
        b.append("    static final java.util.List<String> T = new java.util.ArrayList<>();\n\n");
        b.append("    static void out(Object... parts) {\n");
        b.append("        StringBuilder b = new StringBuilder();\n");
        b.append("        for (Object o : parts) {\n");
        b.append("            if (b.length() > 0) b.append(' ');\n");
        b.append("            b.append(o == null ? \"<nil>\" : o.toString());\n");
        b.append("        }\n");
        b.append("        T.add(b.toString());\n");
        b.append("    }\n\n");
        b.append("    public static java.util.List<String> run() {\n");
        b.append("        T.clear();\n");
        b.append("        try {\n            out(\"ret:\", f0(0));\n");
        b.append("        } catch (Panic p) {\n            out(\"escaped:\", p.value());\n");
        b.append("        } catch (Throwable t) {\n            out(\"escaped (not a Panic):\", t);\n        }\n");
        b.append("        return new java.util.ArrayList<>(T);\n    }\n\n");
        Set<Integer> reach = reachable();
        for (Helper h : helpers) {
            if (!reach.contains(fns.size() + h.index)) {
                continue;
            }
            b.append("    static void h").append(h.index).append("(Integer x, Integer y) {\n");
            b.append("        out(\"h").append(h.index).append("\", x, y);\n");
            if (h.recovers) {
                b.append("        {\n            Object p = Defer.recover();\n            out(\"h").append(h.index)
                        .append(" rec\", p);\n        }\n");
            }
            if (h.panicIfAtLeast >= 0) {
                b.append("        if (x >= ").append(h.panicIfAtLeast).append(") throw Defer.panic(")
                        .append(h.panicValue).append(");\n");
            }
            b.append("    }\n\n");
        }
        for (Fn f : fns) {
            if (!reach.contains(f.index)) {
                continue;
            }
            b.append("    @Defers\n    static int f").append(f.index).append("(int d) {\n");
            b.append("        int[] a = {0};\n");
            javaList(b, f, f.body, 2, false);
            javaStmt(b, f, f.last, 2, false);
            b.append("    }\n\n");
        }
        b.append("}\n");
        return b.toString();
    }

    private void javaList(StringBuilder b, Fn f, List<Stmt> list, int ind, boolean closure) {
        for (Stmt s : list) {
            if (!removed.contains(s.id)) {
                javaStmt(b, f, s, ind, closure);
            }
        }
    }

    private static final String RESULT = "Defer.<Integer>result()";

    private void javaStmt(StringBuilder b, Fn f, Stmt s, int ind, boolean closure) {
        String t = "    ".repeat(ind);
        String cls = javaClass();
        String out = "out(\"s" + s.id + "\"";
        String c = s.cond == null ? null : expr(s.cond, true);
        switch (s.kind) {
            case PRINT: b.append(t).append(out).append(");\n"); break;
            case PRINT_A: b.append(t).append(out).append(", a[0]);\n"); break;
            case PRINT_R: b.append(t).append(out).append(", ").append(RESULT).append(");\n"); break;
            case PRINT_I: b.append(t).append(out).append(", ii);\n"); break;
            case ADD_A: b.append(t).append("a[0] += ").append(s.k).append(";\n"); break;
            case SET_R:
                b.append(t).append("Defer.setResult(").append(closure ? RESULT + " + " : "").append(s.k).append(");\n");
                break;
            case CALL:
                b.append(t).append(out).append(", f").append(s.k).append("(d + 1));\n");
                break;
            case SELF:
                b.append(t).append("if (d < 2) {\n").append(t).append("    ").append(out).append(", f").append(f.index)
                        .append("(d + 1));\n").append(t).append("}\n");
                break;
            case CALL_H:
                b.append(t).append("h").append(s.k).append("(").append(expr(s.arg1, true)).append(", ")
                        .append(expr(s.arg2, true)).append(");\n");
                break;
            case RECOVER:
                b.append(t).append("{\n").append(t).append("    Object p = Defer.recover();\n").append(t).append("    ")
                        .append(out).append(", p);\n").append(t).append("}\n");
                break;
            case REPANIC:
                b.append(t).append("{\n").append(t).append("    Object p = Defer.recover();\n").append(t)
                        .append("    if (p != null) {\n").append(t).append("        ").append(out).append(", \"re\", p);\n")
                        .append(t).append("        throw Defer.panic((Integer) p + 1000);\n").append(t).append("    }\n")
                        .append(t).append("}\n");
                break;
            case PANIC:
                b.append(t).append("if (").append(c).append(") {\n").append(t).append("    throw Defer.panic(").append(s.k)
                        .append(");\n").append(t).append("}\n");
                break;
            case RETURN: {
                String ret = closure ? "return;" : s.bare ? "return " + RESULT + ";" : "return " + expr(s.arg1, true) + ";";
                if ("true".equals(s.cond)) {
                    b.append(t).append(ret).append("\n");
                } else {
                    b.append(t).append("if (").append(c).append(") {\n").append(t).append("    ").append(ret)
                            .append("\n").append(t).append("}\n");
                }
                break;
            }
            case IF:
                b.append(t).append("if (").append(c).append(") {\n");
                javaList(b, f, s.body, ind + 1, closure);
                b.append(t).append("}\n");
                break;
            case LOOP:
                b.append(t).append("for (int i = 0; i < ").append(s.k).append("; i++) {\n").append(t)
                        .append("    final int ii = i;\n");
                javaList(b, f, s.body, ind + 1, closure);
                b.append(t).append("}\n");
                break;
            case DEFER_CLOSURE:
                b.append(t).append("Defer.defer(() -> {\n");
                javaList(b, f, s.body, ind + 1, true);
                b.append(t).append("});\n");
                break;
            case DEFER_H:
                b.append(t).append("Defer.defer(").append(cls).append("::h").append(s.k).append(", ")
                        .append(expr(s.arg1, true)).append(", ").append(expr(s.arg2, true)).append(");\n");
                break;
            case DEFER_H_CLOSURE:
                b.append(t).append("Defer.defer(() -> h").append(s.k).append("(").append(expr(s.arg1, true)).append(", ")
                        .append(expr(s.arg2, true)).append("));\n");
                break;
            case DEFER_RECOVER:
                b.append(t).append("Defer.defer(Defer::recover);\n");
                break;
            case DEFER_CALL:
                b.append(t).append("Defer.defer(").append(cls).append("::f").append(s.k).append(", d + 1);\n");
                break;
            default:
                throw new AssertionError(s.kind);
        }
    }
}
