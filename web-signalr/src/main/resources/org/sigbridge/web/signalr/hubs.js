/*!
 * sigbridge: hub proxies for the classic SignalR 2 client (docs/signalr.md#classic), written for sigbridge.
 * Load after jQuery and jquery.signalR 2.x. Every hub name is a broadcast hub with one server method, send(text);
 * $.connection.<anyName> makes its proxy on first use, so pages need not declare hubs in advance.
 */
(function ($, window) {
    "use strict";
    if (typeof $ !== "function" || typeof $.hubConnection !== "function") {
        throw new Error("SignalR: jQuery and jquery.signalR 2.x must be loaded before " + "%PATH%/hubs.");
    }
    var connection = $.hubConnection("%PATH%", { useDefaultPath: false });
    var proxies = {};
    var wired = {};

    function proxyFor(name) {
        var proxy = proxies[name];
        if (proxy) {
            return proxy;
        }
        proxy = connection.createHubProxy(name);
        proxy.client = {};
        proxy.server = {
            send: function () {
                return proxy.invoke.apply(proxy, ["Send"].concat(Array.prototype.slice.call(arguments)));
            }
        };
        proxies[name] = proxy;
        return proxy;
    }

    // Client methods the page set on hub.client are subscribed when the connection starts, and dropped when it ends.
    function wire(on) {
        $.each(proxies, function (name, proxy) {
            $.each(proxy.client, function (method, fn) {
                var key = name + "\n" + method;
                if (on && typeof fn === "function" && !wired[key]) {
                    wired[key] = function () { return fn.apply(proxy.client, arguments); };
                    proxy.on(method, wired[key]);
                } else if (!on && wired[key]) {
                    proxy.off(method, wired[key]);
                    delete wired[key];
                }
            });
        });
    }
    connection.starting(function () { wire(true); }).disconnected(function () { wire(false); });

    var signalR = $.signalR;
    signalR.hub = connection;
    %HUBS%
    if (typeof window.Proxy === "function") {
        var names = /^[A-Za-z_$][0-9A-Za-z_$.~-]*$/;
        $.connection = $.signalR = new window.Proxy(signalR, {
            get: function (target, key) {
                if (key in target || typeof key !== "string" || !names.test(key)) {
                    return target[key];
                }
                target[key] = proxyFor(key);
                return target[key];
            }
        });
    }
}(window.jQuery, window));
