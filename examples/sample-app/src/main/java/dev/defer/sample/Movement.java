package dev.defer.sample;

import java.nio.file.Path;

/**
 * One line of a stock file: a SKU and the change of its quantity.
 *
 * @param sku the SKU
 * @param change the change, negative for stock taken out
 */
public record Movement(String sku, int change) {

    /**
     * Parses a line of a stock file.
     *
     * @param file the file, for the message
     * @param number the line's number, from 1, for the message
     * @param line the line
     * @return the movement, or {@code null} for a blank line or a {@code #} comment
     * @throws IllegalArgumentException if the line is not {@code sku,change}
     */
    public static Movement parse(Path file, int number, String line) {
        String text = line.strip();
        if (text.isEmpty() || text.startsWith("#")) {
            return null;
        }
        int comma = text.indexOf(',');
        if (comma > 0) {
            try {
                return new Movement(text.substring(0, comma).strip(), Integer.parseInt(text.substring(comma + 1).strip()));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(where(file, number, line) + e.getMessage(), e);
            }
        }
        throw new IllegalArgumentException(where(file, number, line) + "no comma");
    }

    private static String where(Path file, int number, String line) {
        return file.getFileName() + ":" + number + ": expected sku,change such as bolt-m6,+40 but found '" + line
                + "': ";
    }
}
