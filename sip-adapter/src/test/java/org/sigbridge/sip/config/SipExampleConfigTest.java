package org.sigbridge.sip.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.sigbridge.config.BridgeConfig;
import org.sigbridge.config.ConfigException;
import org.sigbridge.config.ConfigLoader;
import org.sigbridge.routing.RouteMatch;
import org.sigbridge.sip.SipRoute;
import org.sigbridge.sip.SipSettings;
import org.sigbridge.sip.mapping.ContentKind;

/** conf/examples/sip.yml as operators use it: required variables only, every variable, and bad values. */
class SipExampleConfigTest {

    private static final Path EXAMPLE = Path.of("../conf/examples/sip.yml");

    private static BridgeConfig load(Map<String, String> env) throws ConfigException {
        return new ConfigLoader(WebStandIn.with(ConfigLoader.installedFactories()), env::get).load(EXAMPLE);
    }

    private static Map<String, String> required() {
        Map<String, String> env = new HashMap<>();
        env.put("SIP_LISTEN_PORT", "5070");
        env.put("SIP_DOMAIN", "localhost");
        return env;
    }

    @Test
    void loadsWithOnlyTheRequiredVariablesAndLeavesRegistrationOff() throws Exception {
        BridgeConfig config = load(required());
        SipSettings sip = (SipSettings) config.adapters().get("sip");
        assertEquals("127.0.0.1", sip.listenHost());
        assertEquals(5070, sip.listenPort());
        assertEquals("localhost", sip.domain());
        assertNull(sip.proxy());
        assertNull(sip.username());
        assertNull(sip.password());
        assertFalse(sip.registers());
        assertEquals(8888, ((WebStandIn.Settings) config.adapters().get("web")).port());
        RouteMatch match = config.routes().resolve("any channel");
        SipRoute route = SipRoute.of(match.leg().orElseThrow(), sip);
        assertEquals(Optional.of("sip:any%20channel@localhost"), route.targetFor(match));
        assertEquals(ContentKind.JSON, route.content());
    }

    @Test
    void readsEveryOptionalVariable() throws Exception {
        Map<String, String> env = required();
        env.putAll(Map.of("SIGBRIDGE_WEB_PORT", "9999", "SIP_LISTEN_HOST", "127.0.0.2", "SIP_PROXY", "127.0.0.1:5060",
                "SIP_USERNAME", "bridge", "SIP_PASSWORD", "s3cret", "SIP_TARGET", "sip:conf-{channel}@pbx.localhost", "SIP_CONTENT", "text"));
        BridgeConfig config = load(env);
        SipSettings sip = (SipSettings) config.adapters().get("sip");
        assertEquals("127.0.0.2", sip.listenHost());
        assertEquals(new SipSettings.HostPort("127.0.0.1", 5060), sip.proxyAddress().orElseThrow());
        assertTrue(sip.registers());
        assertEquals("s3cret", sip.password().reveal());
        assertFalse(sip.toString().contains("s3cret"), "the password never shows in toString");
        RouteMatch match = config.routes().resolve("r1");
        SipRoute route = SipRoute.of(match.leg().orElseThrow(), sip);
        assertEquals(Optional.of("sip:conf-r1@pbx.localhost"), route.targetFor(match));
        assertEquals(ContentKind.TEXT, route.content());
        assertEquals(9999, ((WebStandIn.Settings) config.adapters().get("web")).port());
    }

    @Test
    void refusesAnUnknownContentOptionNamingTheChoices() {
        Map<String, String> env = required();
        env.put("SIP_CONTENT", "xml");
        ConfigException e = assertThrows(ConfigException.class, () -> load(env));
        assertTrue(e.getMessage().contains("content 'xml' must be json or text"), e.getMessage());
    }

    @Test
    void refusesATargetThatIsNotASipUri() {
        Map<String, String> env = required();
        env.put("SIP_TARGET", "mailto:{channel}@example.org");
        ConfigException e = assertThrows(ConfigException.class, () -> load(env));
        assertTrue(e.getMessage().contains("not a sip: or sips: URI") || e.getMessage().contains("not a valid SIP URI"), e.getMessage());
    }

    @Test
    void refusesAPasswordWithoutAUsername() {
        Map<String, String> env = required();
        env.put("SIP_PASSWORD", "s3cret");
        ConfigException e = assertThrows(ConfigException.class, () -> load(env));
        assertTrue(e.getMessage().contains("set username"), e.getMessage());
    }

    @Test
    void refusesAWildcardListenHost() {
        Map<String, String> env = required();
        env.put("SIP_LISTEN_HOST", "0.0.0.0");
        ConfigException e = assertThrows(ConfigException.class, () -> load(env));
        assertTrue(e.getMessage().contains("listen-host must be a concrete address"), e.getMessage());
    }

    @Test
    void refusesAProxyWithoutAPort() {
        Map<String, String> env = required();
        env.put("SIP_PROXY", "127.0.0.1");
        ConfigException e = assertThrows(ConfigException.class, () -> load(env));
        assertTrue(e.getMessage().contains("must be host:port"), e.getMessage());
    }
}
