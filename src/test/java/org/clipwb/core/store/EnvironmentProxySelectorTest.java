package org.clipwb.core.store;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.ProxySelector;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proxies chosen from https_proxy, http_proxy, all_proxy and no_proxy, as curl and Python choose them. */
class EnvironmentProxySelectorTest {
    private static final URI HUB = URI.create("https://huggingface.co/openai/clip/resolve/main/config.json");
    private static final URI CDN = URI.create("https://cdn-lfs.hf.co/repos/ab/cd");
    private static final URI PLAIN = URI.create("http://mirror.example:8080/x");

    @Test
    void noProxyVariableMeansNoSelector() {
        assertEquals(Optional.empty(), EnvironmentProxySelector.fromEnvironment(Map.of("NO_PROXY", "*")));
        assertEquals(Optional.empty(), EnvironmentProxySelector.fromEnvironment(Map.of("HTTPS_PROXY", " ")));
    }

    @Test
    void eachSchemeHasItsVariableLowerCaseFirstAndAllProxyAsFallback() {
        ProxySelector selector = selector(Map.of("https_proxy", "http://lower:3128", "HTTPS_PROXY", "http://upper:1",
                "HTTP_PROXY", "plain:8000"));
        assertEquals(proxy("lower", 3128), selector.select(HUB));
        assertEquals(proxy("plain", 8000), selector.select(PLAIN), "no scheme: http:// assumed");

        ProxySelector fallback = selector(Map.of("ALL_PROXY", "http://all.example"));
        assertEquals(proxy("all.example", 80), fallback.select(HUB));
        assertEquals(proxy("all.example", 80), fallback.select(PLAIN));

        assertEquals(List.of(Proxy.NO_PROXY), selector(Map.of("HTTPS_PROXY", "http://p:1")).select(PLAIN),
                "an http address without http_proxy goes direct");
    }

    @Test
    void noProxyTakesHostSuffixesPortsAndAStar() {
        Map<String, String> proxied = Map.of("HTTPS_PROXY", "http://p:1", "HTTP_PROXY", "http://p:1");
        assertEquals(List.of(Proxy.NO_PROXY), selector(proxied, "hf.co").select(CDN), "a suffix covers subdomains");
        assertEquals(List.of(Proxy.NO_PROXY), selector(proxied, ".huggingface.co").select(HUB),
                "a leading dot covers the domain itself too");
        assertEquals(List.of(Proxy.NO_PROXY), selector(proxied, "*.huggingface.co").select(HUB));
        assertEquals(proxy("p", 1), selector(proxied, "gingface.co").select(HUB), "whole labels only");
        assertEquals(List.of(Proxy.NO_PROXY), selector(proxied, "mirror.example:8080").select(PLAIN));
        assertEquals(proxy("p", 1), selector(proxied, "huggingface.co:80").select(HUB), "https is port 443");
        assertEquals(List.of(Proxy.NO_PROXY), selector(proxied, "huggingface.co:443").select(HUB));
        assertEquals(List.of(Proxy.NO_PROXY), selector(proxied, "localhost, *").select(HUB));
        assertEquals(proxy("p", 1), selector(proxied, "localhost,,127.0.0.1").select(HUB));
    }

    @Test
    void proxiesThatTheClientCannotUseAreClearErrors() {
        IllegalArgumentException socks = assertThrows(IllegalArgumentException.class,
                () -> EnvironmentProxySelector.fromEnvironment(Map.of("ALL_PROXY", "socks5://p:1080")));
        assertTrue(socks.getMessage().startsWith("all_proxy must be an http:// proxy address"), socks.getMessage());
        IllegalArgumentException login = assertThrows(IllegalArgumentException.class,
                () -> EnvironmentProxySelector.fromEnvironment(Map.of("https_proxy", "http://me:secret@p:3128")));
        assertTrue(login.getMessage().contains("user name and password"), login.getMessage());
    }

    private static ProxySelector selector(Map<String, String> env) {
        return EnvironmentProxySelector.fromEnvironment(env).orElseThrow();
    }

    private static ProxySelector selector(Map<String, String> env, String noProxy) {
        Map<String, String> withNoProxy = new HashMap<>(env);
        withNoProxy.put("no_proxy", noProxy);
        return selector(withNoProxy);
    }

    private static List<Proxy> proxy(String host, int port) {
        return List.of(new Proxy(Proxy.Type.HTTP, InetSocketAddress.createUnresolved(host, port)));
    }
}
