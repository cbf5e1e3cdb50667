package dev.kinetic.ui;

import dev.kinetic.spi.Hashing;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Who may use the dashboard, checked before every request:
 * <ul>
 *   <li>with a token (always beyond loopback): {@code Authorization: Bearer T}, or the cookie that {@code ?token=T}
 *       sets once; anything else gets 401. The cookie holds a hash of the token, not the token;
 *   <li>on loopback without a token: only requests whose {@code Host} is a loopback name, so a web page cannot reach
 *       the dashboard by pointing its own host name at 127.0.0.1 (DNS rebinding);
 *   <li>every POST (the only requests that change anything) must carry the page's CSRF token in
 *       {@value #CSRF_HEADER} and come from the dashboard's own origin;
 *   <li>every response says: run only this origin's scripts, never sniff content types, never frame, send no referrer.
 * </ul>
 */
final class AccessGuard {
    static final String COOKIE = "kinetic_session";
    static final String CSRF_HEADER = "X-CSRF-Token";
    static final String TOKEN_PARAMETER = "token";

    /** Scripts and styles from this origin only, and nothing inline: an injected tag would not run. */
    private static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9._~-]{16,256}");
    private static final Pattern LOOPBACK_V4 = Pattern.compile("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final String token;
    private final String cookieValue;
    private final boolean loopbackHostsOnly;
    private final String csrfToken = newToken();

    /**
     * @param token what every request must carry, or {@code null} for none
     * @param loopbackHostsOnly whether to refuse requests whose Host header is not a loopback name
     */
    AccessGuard(String token, boolean loopbackHostsOnly) {
        this.token = token;
        this.cookieValue =
                token == null ? null : Hashing.sha256(("kinetic-ui-session:" + token).getBytes(StandardCharsets.UTF_8));
        this.loopbackHostsOnly = loopbackHostsOnly;
    }

    /** 128 random bits as 32 hex digits. */
    static String newToken() {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    /** The token as given, if it can serve as one; else an error that says what a token must be. */
    static String checkToken(String token) {
        if (!TOKEN.matcher(token).matches()) {
            throw new IllegalArgumentException("--token must be 16 to 256 letters, digits, '.', '_', '~' or '-' "
                    + "(it travels in a URL and a cookie), got " + token.length() + " characters"
                    + (token.length() >= 16 ? " with others among them" : "")
                    + "; make one with `openssl rand -hex 16`, or leave --token out to have one generated");
        }
        return token;
    }

    /** The token pages send back with every POST. */
    String csrfToken() {
        return csrfToken;
    }

    /** Runs before every request: sets the security headers, then refuses what may not pass. */
    void check(Context ctx) {
        ctx.header("Content-Security-Policy", CONTENT_SECURITY_POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
        if (loopbackHostsOnly && !isLoopbackHost(ctx.header("Host"))) {
            throw new ApiError(
                    HttpStatus.FORBIDDEN,
                    "this dashboard listens on loopback only and answers requests for localhost or 127.0.0.1; "
                            + "open it by that name, or start it with --bind and --token to reach it otherwise");
        }
        if (token != null && !authenticated(ctx)) {
            ctx.header("WWW-Authenticate", "Bearer realm=\"kinetic\"");
            throw new ApiError(
                    HttpStatus.UNAUTHORIZED,
                    "this dashboard needs its token: open the URL `kinetic ui` printed (it ends in ?token=...), or "
                            + "send the header Authorization: Bearer <token>");
        }
        if (ctx.method().equals(HandlerType.POST)) {
            checkSameOrigin(ctx);
        }
    }

    private boolean authenticated(Context ctx) {
        String authorization = ctx.header("Authorization");
        if (authorization != null) {
            return authorization.startsWith("Bearer ")
                    && same(authorization.substring(7).trim(), token);
        }
        String cookie = ctx.cookie(COOKIE);
        if (cookie != null && same(cookie, cookieValue)) {
            return true;
        }
        String given = ctx.queryParam(TOKEN_PARAMETER);
        if (given == null || !same(given, token)) {
            return false;
        }
        ctx.cookie(new Cookie(COOKIE, cookieValue, "/", -1, false, true, null, SameSite.STRICT));
        if (ctx.method().equals(HandlerType.GET)) {
            // Once is enough: take the token out of the address bar and the history.
            ctx.redirect(withoutToken(ctx), HttpStatus.SEE_OTHER);
            ctx.skipRemainingHandlers();
        }
        return true;
    }

    private static String withoutToken(Context ctx) {
        String rest = ctx.queryParamMap().entrySet().stream()
                .filter(e -> !e.getKey().equals(TOKEN_PARAMETER))
                .flatMap(e -> e.getValue().stream().map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
        return ctx.path() + (rest.isEmpty() ? "" : "?" + rest);
    }

    private static String encode(String text) {
        return java.net.URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /**
     * A POST must come from a page of this dashboard: the browser's Origin and Sec-Fetch-Site (when sent) must say
     * so, and the CSRF token, which only the dashboard's own pages can read, must be in the header.
     */
    private void checkSameOrigin(Context ctx) {
        String origin = ctx.header("Origin");
        String host = ctx.header("Host");
        if (origin != null && !origin.equalsIgnoreCase("http://" + host)) {
            throw new ApiError(HttpStatus.FORBIDDEN, "cross-origin request refused (Origin " + origin + ")");
        }
        String site = ctx.header("Sec-Fetch-Site");
        if (site != null && !site.equals("same-origin") && !site.equals("none")) {
            throw new ApiError(HttpStatus.FORBIDDEN, "cross-origin request refused (Sec-Fetch-Site " + site + ")");
        }
        String csrf = ctx.header(CSRF_HEADER);
        if (csrf == null || !same(csrf, csrfToken)) {
            throw new ApiError(
                    HttpStatus.FORBIDDEN,
                    "a POST needs the header " + CSRF_HEADER + " with the token from GET /api/csrf (pages send it)");
        }
    }

    /** localhost, 127.x.x.x or [::1], with or without a port; no Host header (HTTP/1.0) passes. */
    static boolean isLoopbackHost(String hostHeader) {
        if (hostHeader == null) {
            return true;
        }
        String host = hostHeader.trim().toLowerCase(Locale.ROOT);
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end > 0 && host.substring(1, end).equals("::1");
        }
        int colon = host.indexOf(':');
        String name = colon < 0 ? host : host.substring(0, colon);
        return name.equals("localhost") || LOOPBACK_V4.matcher(name).matches();
    }

    /** Compares in time that does not depend on where they differ. */
    private static boolean same(String given, String expected) {
        return MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), expected.getBytes(StandardCharsets.UTF_8));
    }
}
