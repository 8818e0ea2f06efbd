package dev.agentgate.transport.backend;

import static dev.agentgate.protocol.CapabilityFlags.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CapabilityNegotiationTest {

    private static final long MODERN_SERVER = (1L << 32) - 1;
    private static final long BASE = CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION | CLIENT_PLUGIN_AUTH;

    @Test
    void neverSendsCompressionLocalFilesOrExpiredPasswordSupport() throws Exception {
        long dangerous = CLIENT_COMPRESS
                | CLIENT_LOCAL_FILES
                | CLIENT_CAN_HANDLE_EXPIRED_PASSWORDS
                | CLIENT_SSL
                | CLIENT_NO_SCHEMA
                | CLIENT_ODBC;

        assertThat(CapabilityNegotiation.negotiate("appdb", BASE | dangerous, MODERN_SERVER, false, false) & dangerous)
                .isZero();
    }

    @Test
    void passesResponseShapingFlagsThroughExactlyAsTheClientAsked() throws Exception {
        long asked = CLIENT_DEPRECATE_EOF | CLIENT_MULTI_STATEMENTS | CLIENT_FOUND_ROWS;

        long negotiated = CapabilityNegotiation.negotiate("appdb", BASE | asked, MODERN_SERVER, false, false);

        assertThat(negotiated & CapabilityNegotiation.AS_CLIENT_ASKED).isEqualTo(asked);
    }

    @Test
    void alwaysUsesTheGatewaysOwnAuthFlagsWhenTheServerOffersThem() throws Exception {
        long negotiated = CapabilityNegotiation.negotiate("appdb", 0, MODERN_SERVER, false, false);

        assertThat(negotiated)
                .isEqualTo(BASE | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA | CLIENT_CONNECT_ATTRS | CLIENT_SESSION_TRACK);
    }

    @Test
    void asksForSessionTrackingWhetherTheClientDidOrNot() throws Exception {
        assertThat(CapabilityNegotiation.negotiate("appdb", BASE, MODERN_SERVER, false, false) & CLIENT_SESSION_TRACK)
                .isEqualTo(CLIENT_SESSION_TRACK);
    }

    @Test
    void setsSslAndConnectWithDbOnlyWhenAsked() throws Exception {
        long negotiated = CapabilityNegotiation.negotiate("appdb", 0, MODERN_SERVER, true, true);

        assertThat(negotiated & (CLIENT_SSL | CLIENT_CONNECT_WITH_DB)).isEqualTo(CLIENT_SSL | CLIENT_CONNECT_WITH_DB);
    }

    @Test
    void refusesAServerWithoutPluggableAuthentication() {
        assertThatThrownBy(() -> CapabilityNegotiation.negotiate(
                        "appdb", BASE, CLIENT_PROTOCOL_41 | CLIENT_SECURE_CONNECTION, false, false))
                .isInstanceOf(BackendConnectException.class)
                .hasMessage("target 'appdb' does not support the MySQL 4.1 protocol with pluggable authentication");
    }

    @Test
    void passesMariaDbExtendedMetadataThroughWhenBothSidesSupportItAndNoOtherExtendedCapability() throws Exception {
        long mariaDbExtended = 0x3FL << 32;
        long mariaDbServer = MODERN_SERVER & ~CLIENT_MYSQL | mariaDbExtended;

        long negotiated = CapabilityNegotiation.negotiate("appdb", BASE | mariaDbExtended, mariaDbServer, false, false);

        assertThat(negotiated & mariaDbExtended).isEqualTo(MARIADB_CLIENT_EXTENDED_METADATA);
        assertThat(CapabilityNegotiation.negotiate("appdb", BASE, mariaDbServer, false, false)
                        & MARIADB_CLIENT_EXTENDED_METADATA)
                .isZero();
    }

    @Test
    void refusesATargetWithoutExtendedMetadataWhenTheClientAskedForIt() {
        assertThatThrownBy(() -> CapabilityNegotiation.negotiate(
                        "appdb", BASE | MARIADB_CLIENT_EXTENDED_METADATA, MODERN_SERVER, false, false))
                .isInstanceOf(BackendConnectException.class)
                .hasMessage(
                        "target 'appdb' does not support MARIADB_CLIENT_EXTENDED_METADATA, which the client requested;"
                                + " reconnect without it");
    }
}
