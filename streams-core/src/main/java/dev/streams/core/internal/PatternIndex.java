package dev.streams.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The wildcard subscriptions of one project, as a trie of topic tokens. Matching a topic walks at most two
 * branches per token ({@code literal} and {@code *}) and collects {@code >} subscribers on the way, so its
 * cost depends on the topic's depth and the matches, not on how many subscriptions exist. Topics cache
 * their result and recompute only when {@link #version()} moves.
 */
final class PatternIndex {
    private final Node root = new Node();
    private volatile long version;
    private int size;

    long version() {
        return version;
    }

    synchronized int size() {
        return size;
    }

    synchronized void add(String[] tokens, QueuedSubscription sub) {
        Node node = root;
        for (String token : tokens) {
            if (token.equals(">")) {
                node.tail.add(sub);
                size++;
                version++;
                return;
            }
            node = node.child(token, true);
        }
        node.here.add(sub);
        size++;
        version++;
    }

    synchronized void remove(String[] tokens, QueuedSubscription sub) {
        if (remove(root, tokens, 0, sub)) {
            size--;
            version++;
        }
    }

    private static boolean remove(Node node, String[] tokens, int i, QueuedSubscription sub) {
        if (i == tokens.length) {
            return node.here.remove(sub);
        }
        if (tokens[i].equals(">")) {
            return node.tail.remove(sub);
        }
        Node child = node.child(tokens[i], false);
        if (child == null || !remove(child, tokens, i + 1, sub)) {
            return false;
        }
        if (child.isEmpty()) {
            node.prune(tokens[i]);
        }
        return true;
    }

    synchronized QueuedSubscription[] match(String[] topic) {
        List<QueuedSubscription> out = new ArrayList<>();
        collect(root, topic, 0, out);
        return out.isEmpty() ? TopicState.NONE : out.toArray(TopicState.NONE);
    }

    private static void collect(Node node, String[] topic, int i, List<QueuedSubscription> out) {
        if (i == topic.length) {
            out.addAll(node.here);
            return;
        }
        out.addAll(node.tail);
        Node literal = node.children == null ? null : node.children.get(topic[i]);
        if (literal != null) {
            collect(literal, topic, i + 1, out);
        }
        if (node.star != null) {
            collect(node.star, topic, i + 1, out);
        }
    }

    private static final class Node {
        Map<String, Node> children;
        Node star;
        final List<QueuedSubscription> here = new ArrayList<>(1);
        final List<QueuedSubscription> tail = new ArrayList<>(1);

        Node child(String token, boolean create) {
            if (token.equals("*")) {
                if (star == null && create) {
                    star = new Node();
                }
                return star;
            }
            if (children == null) {
                if (!create) {
                    return null;
                }
                children = new HashMap<>();
            }
            return create ? children.computeIfAbsent(token, t -> new Node()) : children.get(token);
        }

        void prune(String token) {
            if (token.equals("*")) {
                star = null;
            } else {
                children.remove(token);
            }
        }

        boolean isEmpty() {
            return here.isEmpty() && tail.isEmpty() && star == null && (children == null || children.isEmpty());
        }
    }
}
