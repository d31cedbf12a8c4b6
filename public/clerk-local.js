// window.Clerk for T2M's built-in identity provider: the subset of Clerk's browser object T2M uses
// (load, session.getToken with templates and skipCache, user, signOut, redirectToSignIn), backed by the
// provider's Frontend-API-shaped endpoints. In production Clerk's own clerk.browser.js takes its place.
(function () {
  'use strict';
  var cache = {};
  var loading = null;

  function expiresIn(jwt) {
    try {
      var payload = jwt.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
      return JSON.parse(atob(payload)).exp - Date.now() / 1000;
    } catch (e) {
      return -1;
    }
  }

  // The idle hook (use_idle_sign_out) keeps the time of the user's last input in localStorage, shared by all
  // tabs. Token requests report how long ago that was, so the server counts real input, not background
  // refreshes, when it enforces T2M_INACTIVITY_TIMEOUT_SECS. A duration, so the client's clock does not matter.
  function idleHeaders() {
    var headers = { Accept: 'application/json' };
    try {
      var last = parseInt(window.localStorage.getItem('t2m:last-activity'), 10);
      if (last > 0) headers['X-T2M-Idle-Ms'] = String(Math.max(0, Math.round(Date.now() - last)));
    } catch (e) {
      // No storage (privacy mode): the request reports nothing and counts as a background refresh.
    }
    return headers;
  }

  function post(url, headers) {
    return fetch(url, { method: 'POST', credentials: 'same-origin', headers: headers || { Accept: 'application/json' } });
  }

  function makeSession(raw) {
    return {
      id: raw.id,
      expireAt: new Date(raw.expire_at),
      getToken: function (options) {
        options = options || {};
        var key = options.template || '';
        var cached = cache[key];
        if (!options.skipCache && cached && expiresIn(cached) > 10) {
          return Promise.resolve(cached);
        }
        var url = '/v1/client/sessions/' + encodeURIComponent(raw.id) + '/tokens' +
          (options.template ? '/' + encodeURIComponent(options.template) : '');
        return post(url, idleHeaders()).then(function (res) {
          if (res.status === 401) {
            Clerk.session = null;
            Clerk.user = null;
            return null;
          }
          if (!res.ok) throw new Error('token request failed with status ' + res.status);
          return res.json().then(function (body) {
            cache[key] = body.jwt;
            return body.jwt;
          });
        });
      },
    };
  }

  var Clerk = {
    loaded: false,
    session: null,
    user: null,
    load: function () {
      if (loading) return loading;
      loading = fetch('/v1/client', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
        .then(function (res) { return res.json(); })
        .then(function (client) {
          if (client.signed_in) {
            Clerk.session = makeSession(client.session);
            var u = client.session.user;
            Clerk.user = {
              id: u.id, firstName: u.first_name, lastName: u.last_name, fullName: u.display_name,
              primaryEmailAddress: u.email ? { emailAddress: u.email } : null,
            };
          }
          Clerk.loaded = true;
          return Clerk;
        });
      return loading;
    },
    signOut: function (options) {
      options = options || {};
      var sid = Clerk.session ? Clerk.session.id : 'current';
      var reason = options.reason ? '?reason=' + encodeURIComponent(options.reason) : '';
      cache = {};
      return post('/v1/client/sessions/' + encodeURIComponent(sid) + '/end' + reason).then(function () {
        Clerk.session = null;
        Clerk.user = null;
        if (options.redirectUrl) window.location.assign(options.redirectUrl);
      });
    },
    redirectToSignIn: function (options) {
      var back = (options && options.redirectUrl) || (location.pathname + location.search);
      window.location.assign('/sign-in?redirect_url=' + encodeURIComponent(back));
    },
  };

  window.Clerk = Clerk;
})();
