/** A fingerprint change is spoken (speech synthesis) and shown as a desktop notification when the user allowed them. */
export function raiseAlert(id: string, text: string): void {
  // A reload must not speak an alert again.
  const seen = `sotto-alert-${id}`;
  if (window.sessionStorage.getItem(seen) !== null) return;
  window.sessionStorage.setItem(seen, '1');
  if ('speechSynthesis' in window) {
    window.speechSynthesis.speak(new SpeechSynthesisUtterance(text));
  }
  if ('Notification' in window && Notification.permission === 'granted') {
    new Notification('sotto: fingerprint changed', { body: text, tag: id });
  }
}

export function notificationsState(): NotificationPermission | 'unsupported' {
  return 'Notification' in window ? Notification.permission : 'unsupported';
}

export async function askNotifications(): Promise<NotificationPermission | 'unsupported'> {
  if (!('Notification' in window)) return 'unsupported';
  return Notification.requestPermission();
}
