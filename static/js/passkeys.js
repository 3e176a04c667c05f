// Wires allauth's passkey (WebAuthn) forms without inline script, which our CSP forbids.
// Each passkey button names its allauth form in data-passkey and the ids it needs in
// data-* attributes; allauth's own webauthn.js does the work.
(function () {
  'use strict'
  var ROLE = { addForm: 'add', signupForm: 'signup', authenticateForm: 'authenticate', loginForm: 'login' }

  function showError () {
    var box = document.querySelector('[data-passkey-error]')
    if (!box) return
    box.textContent = 'The passkey was not used. Nothing has changed: try again, or use another way in.'
    box.hidden = false
  }

  document.addEventListener('allauth.error', function (event) {
    event.preventDefault()
    showError()
  })

  document.addEventListener('DOMContentLoaded', function () {
    var forms = window.allauth && window.allauth.webauthn && window.allauth.webauthn.forms
    if (!forms || !window.PublicKeyCredential) {
      document.querySelectorAll('[data-passkey]').forEach(function (button) { button.disabled = true })
      var note = document.querySelector('[data-passkey-unsupported]')
      if (note) note.hidden = false
      return
    }
    document.querySelectorAll('[data-passkey]').forEach(function (button) {
      var kind = button.dataset.passkey
      if (!ROLE[kind]) return
      var ids = { credential: button.dataset.credential }
      ids[ROLE[kind]] = button.id
      if (button.dataset.data) ids.data = button.dataset.data
      if (button.dataset.passwordless) ids.passwordless = button.dataset.passwordless
      forms[kind]({ ids: ids })
    })
  })
})()
