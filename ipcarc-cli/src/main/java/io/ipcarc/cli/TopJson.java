package io.ipcarc.cli;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A {@link TopView} as JSON-ready maps, fields in a stable order (docs/operations.md shows one). */
final class TopJson {
    private TopJson() {
    }

    /**
     * @param v one refresh
     * @return it as plain data: rates and hold times are {@code null} where not known
     */
    static Map<String, Object> of(TopView v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time", v.time().toString());
        m.put("intervalSeconds", v.seconds());
        m.put("segments", v.segments().stream().map(TopJson::segment).toList());
        m.put("rings", v.rings().stream().map(TopJson::ring).toList());
        return m;
    }

    private static Map<String, Object> segment(TopView.Segment s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("type", s.type());
        m.put("size", s.size());
        m.put("state", s.state());
        m.put("refCount", s.refCount());
        m.put("liveHolders", s.liveHolders());
        m.put("deadHolders", s.deadHolders());
        Map<String, Object> lock = new LinkedHashMap<>();
        lock.put("state", s.lock());
        lock.put("pid", s.lockPid());
        lock.put("tid", s.lockTid());
        lock.put("heldSeconds", s.heldSeconds() < 0 ? null : s.heldSeconds());
        m.put("lock", lock);
        return m;
    }

    private static Map<String, Object> ring(TopView.Ring r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", r.name());
        m.put("capacity", r.capacity());
        m.put("write", r.write());
        m.put("writeExact", r.writeExact());
        m.put("writeRate", known(r.writeRate()));
        m.put("writerPid", r.writerPid());
        m.put("writerMode", r.writerMode());
        List<Object> readers = r.readers().stream().map(x -> {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("id", x.id());
            e.put("state", x.state());
            e.put("pid", x.pid());
            e.put("position", x.position());
            e.put("rate", known(x.rate()));
            e.put("lag", x.lag());
            e.put("lagExact", x.lagExact());
            e.put("lost", x.lost());
            return (Object) e;
        }).toList();
        m.put("readers", readers);
        return m;
    }

    private static Double known(double rate) {
        return Double.isNaN(rate) ? null : rate;
    }
}
