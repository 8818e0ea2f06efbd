package dev.agentgate.analysis.lineage;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Finds nodes of a JSqlParser expression tree by reflection, whatever their parent's type. JSqlParser's
 * visitor adapter does not descend into every node kind (JSON_OBJECT, TRIM, SUBSTRING ... FROM, CONVERT and
 * more are passed over silently); a column missed there would be a masked value shown in clear. This walk
 * follows every field of every JSqlParser object, so nothing escapes it; it stops at the nodes it looks for.
 */
final class AstNodes {

    private static final String JSQLPARSER = "net.sf.jsqlparser.";
    private static final String PARSER_INTERNALS = "net.sf.jsqlparser.parser.";
    private static final int MAX_DEPTH = 500;
    private static final ClassValue<List<Field>> FIELDS = new ClassValue<>() {
        @Override
        protected List<Field> computeValue(Class<?> type) {
            List<Field> fields = new ArrayList<>();
            for (Class<?> c = type; c != null && c.getName().startsWith(JSQLPARSER); c = c.getSuperclass()) {
                for (Field field : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(field.getModifiers())
                            && !field.getType().isPrimitive()
                            && field.trySetAccessible()) {
                        fields.add(field);
                    }
                }
            }
            return List.copyOf(fields);
        }
    };

    private AstNodes() {}

    /** The outermost nodes below {@code root} (not root itself) that {@code wanted} accepts, in tree order. */
    static List<Object> find(Object root, Predicate<Object> wanted) {
        List<Object> found = new ArrayList<>();
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        seen.add(root);
        children(root, wanted, found, seen, 0);
        return found;
    }

    private static void walk(Object node, Predicate<Object> wanted, List<Object> found, Set<Object> seen, int depth) {
        if (node == null || !seen.add(node)) {
            return;
        }
        if (depth > MAX_DEPTH) {
            throw new IllegalStateException("expression nests deeper than " + MAX_DEPTH);
        }
        if (node instanceof Collection<?> collection) {
            collection.forEach(element -> walk(element, wanted, found, seen, depth + 1));
        } else if (node instanceof Map<?, ?> map) {
            map.values().forEach(value -> walk(value, wanted, found, seen, depth + 1));
        } else if (node instanceof Object[] array) {
            for (Object element : array) {
                walk(element, wanted, found, seen, depth + 1);
            }
        } else if (wanted.test(node)) {
            found.add(node);
        } else if (isTreeNode(node)) {
            children(node, wanted, found, seen, depth);
        }
    }

    private static void children(
            Object node, Predicate<Object> wanted, List<Object> found, Set<Object> seen, int depth) {
        for (Field field : FIELDS.get(node.getClass())) {
            try {
                walk(field.get(node), wanted, found, seen, depth + 1);
            } catch (IllegalAccessException unreadable) {
                throw new IllegalStateException("cannot read " + field, unreadable);
            }
        }
    }

    /** JSqlParser's own objects, except the parser's token/node internals (which link back up the tree). */
    private static boolean isTreeNode(Object node) {
        String name = node.getClass().getName();
        return name.startsWith(JSQLPARSER)
                && !name.startsWith(PARSER_INTERNALS)
                && !node.getClass().isEnum();
    }
}
