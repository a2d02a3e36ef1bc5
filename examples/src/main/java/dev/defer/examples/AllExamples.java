package dev.defer.examples;

import java.util.LinkedHashMap;
import java.util.Map;

/** Runs every example in order, each under a header line {@code == Name ==}, with a blank line between. */
public final class AllExamples {
    private AllExamples() {
    }

    /** An example's {@code main}. */
    @FunctionalInterface
    private interface Example {
        void main(String[] args) throws Exception;
    }

    /**
     * Runs all the examples.
     *
     * @param args ignored
     * @throws Exception if an example fails
     */
    public static void main(String[] args) throws Exception {
        Map<String, Example> examples = new LinkedHashMap<>();
        examples.put("SeedExamples", SeedExamples::main);
        examples.put("CopyFile", CopyFile::main);
        examples.put("CloseInLoop", CloseInLoop::main);
        examples.put("Transaction", Transaction::main);
        examples.put("RequestHandler", RequestHandler::main);
        examples.put("ErrorWrapping", ErrorWrapping::main);
        examples.put("SafeParse", SafeParse::main);

        String separator = "";
        for (Map.Entry<String, Example> example : examples.entrySet()) {
            System.out.print(separator);
            System.out.println("== " + example.getKey() + " ==");
            example.getValue().main(new String[0]);
            separator = System.lineSeparator();
        }
    }
}
