/** The page's state: the server's, with each pushed change applied. */
import type { AppState, Conversation, ServerMessage } from '../protocol/index.js';

export interface PageState {
  readonly app: AppState | null;
  /** The status line: a notice from the server, or a connection problem. */
  readonly notice: string | null;
}

export function apply(state: PageState, message: ServerMessage): PageState {
  if (message.type === 'state') return { ...state, app: message.state };
  if (message.type === 'notice') return { ...state, notice: message.text };
  const app = state.app;
  if (app === null || message.type === 'alert') return state;
  switch (message.type) {
    case 'account':
      return { ...state, app: { ...app, account: message.account } };
    case 'settings':
      return { ...state, app: { ...app, settings: message.settings } };
    case 'conversation': {
      const index = app.conversations.findIndex((c) => c.peer === message.conversation.peer);
      const conversations = [...app.conversations];
      if (index < 0) conversations.push({ ...message.conversation, messages: [] });
      else conversations[index] = { ...message.conversation, messages: (conversations[index] as Conversation).messages };
      return { ...state, app: { ...app, conversations } };
    }
    case 'message': {
      const conversations = app.conversations.map((c) => {
        if (c.peer !== message.peer) return c;
        const index = c.messages.findIndex((m) => m.id === message.message.id);
        const messages = index < 0 ? [...c.messages, message.message].slice(-500) : c.messages.map((m, i) => (i === index ? message.message : m));
        return { ...c, messages };
      });
      return { ...state, app: { ...app, conversations } };
    }
  }
}
