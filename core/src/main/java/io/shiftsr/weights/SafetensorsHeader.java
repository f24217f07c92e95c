package io.shiftsr.weights;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parsed and fully validated JSON header of a safetensors file. Every check that can be
 * made from the header alone happens here, so the reader allocates tensor memory only for a
 * file whose header is consistent with its size.
 */
final class SafetensorsHeader {

    static final String METADATA_KEY = "__metadata__";

    /** Strict: duplicate keys (two tensors with one name) and trailing garbage are errors. */
    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    /** One tensor entry; begin/end are relative to the start of the data section. */
    record Entry(String name, DType dtype, long[] shape, long numel, long begin, long end) {
    }

    final List<Entry> entries; // in header (JSON key) order
    final Map<String, String> metadata;

    private SafetensorsHeader(List<Entry> entries, Map<String, String> metadata) {
        this.entries = entries;
        this.metadata = metadata;
    }

    /**
     * @param source   file name used as the message prefix
     * @param json     the header bytes (may carry trailing space padding)
     * @param dataStart file position of the data section (8 + header length)
     * @param dataSize  bytes in the file after the header
     */
    static SafetensorsHeader parse(String source, byte[] json, long dataStart, long dataSize, ReadOptions options) {
        JsonNode root;
        try {
            root = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw fail(source, "header is not valid JSON: " + describe(e));
        } catch (IOException e) {
            throw fail(source, "header is not valid JSON: " + e.getMessage());
        }
        if (root == null || root.isMissingNode()) {
            throw fail(source, "header is empty");
        }
        if (!root.isObject()) {
            throw fail(source, "header is not a JSON object but " + root.getNodeType().toString().toLowerCase());
        }

        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> entries = new ArrayList<>(root.size());
        long totalNumel = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (METADATA_KEY.equals(field.getKey())) {
                parseMetadata(source, field.getValue(), metadata);
                continue;
            }
            Entry e = parseEntry(source, field.getKey(), field.getValue(), options);
            totalNumel += e.numel; // cannot overflow: each numel <= 2^31-1 and entries < 2^31
            if (totalNumel > options.maxTotalNumel()) {
                throw fail(source, "tensors up to " + WeightsException.quote(e.name) + " have " + totalNumel
                        + " elements in total, more than the limit " + options.maxTotalNumel());
            }
            entries.add(e);
        }
        checkLayout(source, entries, dataStart, dataSize);
        return new SafetensorsHeader(Collections.unmodifiableList(entries), Collections.unmodifiableMap(metadata));
    }

    private static void parseMetadata(String source, JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            throw fail(source, METADATA_KEY + " is not a JSON object");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> kv = it.next();
            if (!kv.getValue().isTextual()) {
                throw fail(source, METADATA_KEY + " value for " + WeightsException.quote(kv.getKey())
                        + " is not a string");
            }
            out.put(kv.getKey(), kv.getValue().textValue());
        }
    }

    private static Entry parseEntry(String source, String name, JsonNode node, ReadOptions options) {
        String t = "tensor " + WeightsException.quote(name);
        if (name.isEmpty()) {
            throw fail(source, "a tensor has an empty name");
        }
        if (!node.isObject()) {
            throw fail(source, t + ": entry is not a JSON object");
        }
        JsonNode dtypeNode = node.get("dtype");
        JsonNode shapeNode = node.get("shape");
        JsonNode offsetsNode = node.get("data_offsets");
        if (dtypeNode == null) {
            throw fail(source, t + ": missing \"dtype\"");
        }
        if (shapeNode == null) {
            throw fail(source, t + ": missing \"shape\"");
        }
        if (offsetsNode == null) {
            throw fail(source, t + ": missing \"data_offsets\"");
        }
        if (!dtypeNode.isTextual()) {
            throw fail(source, t + ": \"dtype\" is not a string");
        }
        DType dtype = DType.fromName(dtypeNode.textValue());
        if (dtype == null) {
            throw fail(source, t + ": unsupported dtype " + WeightsException.quote(dtypeNode.textValue())
                    + " (supported: " + Arrays.toString(DType.values()) + ")");
        }

        if (!shapeNode.isArray()) {
            throw fail(source, t + ": \"shape\" is not an array");
        }
        long[] shape = new long[shapeNode.size()];
        for (int i = 0; i < shape.length; i++) {
            JsonNode d = shapeNode.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong()) {
                throw fail(source, t + ": shape element " + i + " is not an integer: " + d);
            }
            shape[i] = d.longValue();
            if (shape[i] < 0) {
                throw fail(source, t + ": negative dimension in shape " + shapeNode);
            }
        }

        if (!offsetsNode.isArray() || offsetsNode.size() != 2) {
            throw fail(source, t + ": \"data_offsets\" is not an array of two integers");
        }
        long[] off = new long[2];
        for (int i = 0; i < 2; i++) {
            JsonNode o = offsetsNode.get(i);
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.longValue() < 0) {
                throw fail(source, t + ": data_offsets " + offsetsNode + " are not non-negative 64-bit integers");
            }
            off[i] = o.longValue();
        }
        if (off[0] > off[1]) {
            throw fail(source, t + ": data_offsets " + offsetsNode + " end before they begin");
        }

        long numel;
        try {
            numel = TensorData.numel(shape);
            Math.multiplyExact(numel, (long) dtype.byteSize());
        } catch (ArithmeticException e) {
            throw fail(source, t + ": shape " + Arrays.toString(shape) + " overflows a 64-bit byte count");
        }
        long bytes = off[1] - off[0];
        if (numel * dtype.byteSize() != bytes) {
            throw fail(source, t + ": shape " + Arrays.toString(shape) + " of " + dtype + " needs "
                    + numel * dtype.byteSize() + " bytes but data_offsets " + offsetsNode + " span " + bytes);
        }
        if (numel > options.maxTensorNumel()) {
            throw fail(source, t + ": shape " + Arrays.toString(shape) + " has " + numel
                    + " elements, more than the limit " + options.maxTensorNumel());
        }
        return new Entry(name, dtype, shape, numel, off[0], off[1]);
    }

    /** The data section must be exactly the tensors, back to back, with no overlap, gap or tail. */
    private static void checkLayout(String source, List<Entry> entries, long dataStart, long dataSize) {
        List<Entry> byOffset = new ArrayList<>(entries);
        byOffset.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expectedBegin = 0;
        Entry previous = null;
        for (Entry e : byOffset) {
            if (e.begin < expectedBegin) {
                throw fail(source, "tensors " + WeightsException.quote(previous.name) + " and "
                        + WeightsException.quote(e.name) + " overlap in the data section (byte " + e.begin + ")");
            }
            if (e.begin > expectedBegin) {
                throw fail(source, "data section has " + (e.begin - expectedBegin) + " unused bytes at offset "
                        + expectedBegin + " before tensor " + WeightsException.quote(e.name));
            }
            if (e.end > dataSize) {
                // Reported in file positions: that is what a user can compare with `ls -l`.
                throw fail(source, "truncated: tensor " + WeightsException.quote(e.name) + " needs bytes up to "
                        + (dataStart + e.end) + " but the file has " + (dataStart + dataSize));
            }
            expectedBegin = e.end;
            previous = e;
        }
        if (expectedBegin != dataSize) {
            throw fail(source, "data section has " + (dataSize - expectedBegin)
                    + " unused trailing bytes after the last tensor");
        }
    }

    static WeightsException fail(String source, String problem) {
        return new WeightsException(source + ": " + problem);
    }

    private static String describe(JsonProcessingException e) {
        JsonLocation loc = e.getLocation();
        // Jackson embeds "[Source: REDACTED (...); line: 1, column: 7]" in some messages; keep the position only.
        String msg = e.getOriginalMessage().replaceAll("\\[Source: .*?; (line: \\d+, column: \\d+)\\]", "[$1]");
        if (msg.length() > 200) {
            msg = msg.substring(0, 200) + "...";
        }
        return loc == null ? msg : msg + " at byte " + loc.getByteOffset();
    }
}
