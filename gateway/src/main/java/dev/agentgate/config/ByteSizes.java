package dev.agentgate.config;

import java.util.Locale;

/** Byte sizes as written in the config file: {@code 1048576}, {@code 64KiB}, {@code 16MiB}, {@code 10GiB}. */
final class ByteSizes {
    private ByteSizes() {}

    static long parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        int shift = 0;
        for (String[] unit : new String[][] {{"kib", "10"}, {"mib", "20"}, {"gib", "30"}, {"tib", "40"}}) {
            if (value.endsWith(unit[0])) {
                shift = Integer.parseInt(unit[1]);
                value = value.substring(0, value.length() - unit[0].length()).strip();
                break;
            }
        }
        long number;
        try {
            number = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(
                    "must be a byte size such as 1048576, 64KiB, 16MiB or 10GiB, was '" + text + "'");
        }
        if (number < 0 || Long.numberOfLeadingZeros(number) <= shift) {
            throw new IllegalArgumentException("must be a size between 0 and 2^62 bytes, was '" + text + "'");
        }
        return number << shift;
    }
}
