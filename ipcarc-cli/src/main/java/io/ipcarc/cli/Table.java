package io.ipcarc.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/** A text table whose columns are as wide as their widest cell, separated by two spaces. */
final class Table {
    private final List<String[]> rows = new ArrayList<>();
    private final int columns;

    /** @param headings the column headings */
    Table(String... headings) {
        this.columns = headings.length;
        rows.add(headings);
    }

    /** @param cells one cell per column */
    void add(String... cells) {
        if (cells.length != columns) {
            throw new IllegalArgumentException("wrong number of cells: cells=" + cells.length + ", columns=" + columns);
        }
        rows.add(cells);
    }

    /** @param out where to print the headings and the rows, the last column not padded */
    void print(PrintWriter out) {
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(r[i]);
                if (i < columns - 1) {
                    line.append(" ".repeat(width[i] - r[i].length() + 2));
                }
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
