package io.ipcarc.cli;

import io.ipcarc.SegmentInfo;
import io.ipcarc.map.MapDescriptor;
import io.ipcarc.map.MapInspector;
import java.io.IOException;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** How a map shows in {@code inspect} (its stripes and first keys) and in {@code ls} (its key and value types). */
final class MapSection {
    private MapSection() {
    }

    /** @return whether the segment holds a map */
    static boolean isMap(SegmentInfo s) {
        return s.kind() == SegmentInfo.Kind.SEGMENT && s.descriptor() != null
                && s.descriptor().startsWith("bytes<" + MapDescriptor.TYPE_TAG + ">");
    }

    /** @return the map read from its file, or {@code null} with the reason printed as a problem, if it cannot be read */
    static MapInspector.Inspection read(SegmentInfo s, int limit) {
        try {
            return MapInspector.inspect(s.name(), limit);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    /** @return the TYPE cell of {@code ls}: {@code map<KEY,VALUE>}, or the descriptor if the map cannot be read */
    static String type(SegmentInfo s) {
        MapInspector.Inspection m = read(s, 0);
        return m == null ? s.descriptor() : "map<" + m.keyType() + "," + m.valueType() + ">";
    }

    /** @return the map object of {@code ls --json}: its types and sizes */
    static Map<String, Object> summary(MapInspector.Inspection m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("keyType", m.keyType());
        j.put("valueType", m.valueType());
        j.put("capacity", m.capacity());
        j.put("size", m.size());
        j.put("stripes", m.stripes().size());
        return j;
    }

    static void text(MapInspector.Inspection m, PrintWriter out) {
        out.println();
        out.println("map capacity=" + m.capacity() + " size=" + m.size() + " stripes=" + m.stripes().size() + " entries="
                + m.entries() + " indexSlots=" + m.indexSlots() + " version=" + m.version() + " key=" + m.keyType() + " value="
                + m.valueType());
        Table st = new Table("STRIPE", "KEYS", "LOCK", "JOURNAL", "REPAIRS");
        for (MapInspector.Stripe s : m.stripes()) {
            String lock = s.lock() + (s.ownerPid() != 0 && !s.lock().equals("free") ? " pid=" + s.ownerPid() : "")
                    + (s.repairPending() ? " repair-pending" : "");
            st.add(String.valueOf(s.stripe()), String.valueOf(s.keys()), lock, s.journal(), String.valueOf(s.repairs()));
        }
        st.print(out);
        out.println();
        Table e = new Table("SLOT", "KEY", "VALUE");
        for (MapInspector.Entry entry : m.shown()) {
            e.add(String.valueOf(entry.slot()), entry.key(), entry.value());
        }
        e.print(out);
        if (m.more() > 0) {
            out.println("(" + m.more() + " more keys; --limit N shows more)");
        }
    }

    static Map<String, Object> json(MapInspector.Inspection m) {
        Map<String, Object> j = new LinkedHashMap<>();
        j.put("capacity", m.capacity());
        j.put("size", m.size());
        j.put("entries", m.entries());
        j.put("indexSlots", m.indexSlots());
        j.put("keyType", m.keyType());
        j.put("valueType", m.valueType());
        j.put("version", m.version());
        j.put("mapId", Long.toHexString(m.mapId()));
        j.put("created", m.created().toString());
        List<Map<String, Object>> stripes = m.stripes().stream().map(s -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("stripe", s.stripe());
            o.put("keys", s.keys());
            o.put("lock", s.lock());
            o.put("ownerPid", s.ownerPid());
            o.put("repairPending", s.repairPending());
            o.put("journal", s.journal());
            o.put("repairs", s.repairs());
            return o;
        }).toList();
        j.put("stripes", stripes);
        j.put("entriesShown", m.shown().stream().map(e -> {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("slot", e.slot());
            o.put("key", e.key());
            o.put("value", e.value());
            return o;
        }).toList());
        j.put("more", m.more());
        return j;
    }
}
