package org.clipwb.core.store;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.SocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The proxies that the conventional environment variables name, as curl and Python (hence huggingface_hub) read them:
 * {@code https_proxy} for https addresses, {@code http_proxy} for http ones, {@code all_proxy} for both when those are
 * unset, each lower case before upper case; and {@code no_proxy}/{@code NO_PROXY}, a comma-separated list of hosts
 * reached directly: {@code *} (every host), a host name or suffix ({@code example.com} and {@code .example.com} both
 * cover {@code example.com} and {@code hub.example.com}), an IP address, each optionally with {@code :port}.
 */
final class EnvironmentProxySelector extends ProxySelector {
    private static final Pattern NO_PROXY_ENTRY = Pattern.compile("(?:\\*?\\.)?(.+?)(?::(\\d{1,5}))?");

    /** One {@code no_proxy} entry: a host name or suffix, and a port or -1 for any. */
    private record DirectHost(String host, int port) {
        boolean covers(URI uri) {
            String target = uri.getHost().toLowerCase(Locale.ROOT);
            return (target.equals(host) || target.endsWith("." + host)) && (port < 0 || port == HubClient.effectivePort(uri));
        }
    }

    private final Proxy httpsProxy;
    private final Proxy httpProxy;
    private final boolean directForAll;
    private final List<DirectHost> directHosts;

    private EnvironmentProxySelector(Proxy httpsProxy, Proxy httpProxy, String noProxy) {
        this.httpsProxy = httpsProxy;
        this.httpProxy = httpProxy;
        List<DirectHost> hosts = new ArrayList<>();
        boolean all = false;
        for (String entry : noProxy.split(",")) {
            String trimmed = entry.strip().toLowerCase(Locale.ROOT);
            all |= trimmed.equals("*");
            Matcher matcher = NO_PROXY_ENTRY.matcher(trimmed);
            if (!trimmed.isEmpty() && !trimmed.equals("*") && matcher.matches()) {
                hosts.add(new DirectHost(matcher.group(1), matcher.group(2) == null ? -1
                        : Integer.parseInt(matcher.group(2))));
            }
        }
        this.directForAll = all;
        this.directHosts = List.copyOf(hosts);
    }

    /**
     * The selector the environment describes, or empty when it names no proxy.
     *
     * @throws IllegalArgumentException a proxy variable holds something other than an http proxy without credentials
     */
    static Optional<ProxySelector> fromEnvironment(Map<String, String> env) {
        Optional<Proxy> all = proxy(env, "all_proxy");
        Optional<Proxy> https = proxy(env, "https_proxy").or(() -> all);
        Optional<Proxy> http = proxy(env, "http_proxy").or(() -> all);
        if (https.isEmpty() && http.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new EnvironmentProxySelector(https.orElse(null), http.orElse(null),
                variable(env, "no_proxy").orElse("")));
    }

    @Override
    public List<Proxy> select(URI uri) {
        Proxy proxy = "https".equalsIgnoreCase(uri.getScheme()) ? httpsProxy : httpProxy;
        boolean direct = proxy == null || directForAll || directHosts.stream().anyMatch(host -> host.covers(uri));
        return List.of(direct ? Proxy.NO_PROXY : proxy);
    }

    @Override
    public void connectFailed(URI uri, SocketAddress address, IOException failure) {
        // Nothing to fall back on: the HTTP client reports the failure, and the download retries.
    }

    private static Optional<Proxy> proxy(Map<String, String> env, String name) {
        return variable(env, name).map(value -> {
            URI uri = parse(value, name);
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
                throw new IllegalArgumentException(name + " must be an http:// proxy address such as "
                        + "http://proxy.example:3128 (the workbench speaks to proxies in plain HTTP, not https:// or "
                        + "SOCKS), got '" + value + "'");
            }
            if (uri.getRawUserInfo() != null) {
                throw new IllegalArgumentException(name + " holds a user name and password, which the workbench "
                        + "does not send to proxies; use a proxy that needs no login, or reach the hub without one");
            }
            return new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(uri.getHost(),
                    uri.getPort() >= 0 ? uri.getPort() : 80));
        });
    }

    /** A proxy address as written, with {@code http://} assumed when no scheme is given (as curl does). */
    private static URI parse(String value, String name) {
        try {
            return URI.create(value.contains("://") ? value : "http://" + value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": not a proxy address: '" + value + "'", e);
        }
    }

    /** The lower-case variable, else the upper-case one, when set to something other than blanks. */
    private static Optional<String> variable(Map<String, String> env, String lowerCaseName) {
        return Optional.ofNullable(env.get(lowerCaseName)).filter(value -> !value.isBlank())
                .or(() -> Optional.ofNullable(env.get(lowerCaseName.toUpperCase(Locale.ROOT))))
                .map(String::strip).filter(value -> !value.isEmpty());
    }
}
