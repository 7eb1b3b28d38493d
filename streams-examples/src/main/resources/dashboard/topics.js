// The topic view: subscribes to any topic or pattern of the project with its own read-only token, and lists the
// raw events, newest first, with their topic, cursor and time; gaps and refusals are listed where they happen.
import { StreamsClient } from './streams-client.js';
import { shorten } from './fields.js';

const MAX_ROWS = 200;

export class TopicView {
  constructor(form, input, list, status) {
    this.list = list;
    this.status = status;
    this.client = null;
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.follow(input.value.trim());
    });
  }

  follow(pattern) {
    if (!pattern) return;
    if (this.client) this.client.close();
    this.list.replaceChildren();
    this.status.textContent = 'following ' + pattern;
    document.body.dataset.topicEvents = '0';
    const token = async () => {
      const response = await fetch('/demo/token?pattern=' + encodeURIComponent(pattern), { cache: 'no-store' });
      const body = await response.json();
      if (!response.ok) throw new Error(body.message || 'token refused');
      return body.token;
    };
    this.client = new StreamsClient({
      url: location.origin, token,
      onError: (code, message) => this.line('refused', code + ': ' + message),
    });
    this.client.subscribe(pattern, {
      onEvent: (event) => {
        const payload = event.data !== undefined ? JSON.stringify(event.data) : event.text ?? '(binary)';
        this.line('event', payload, event);
        document.body.dataset.topicEvents = String(Number(document.body.dataset.topicEvents) + 1);
      },
      onGap: (gap) => this.line('gap', `gap on ${gap.topic}: ${gap.missed < 0 ? 'some' : gap.missed} missed (${gap.cause})`),
      onRefused: (code, message) => this.line('refused', code + ': ' + message),
      // The server made the subscription: what is published from now on shows here.
      onLive: () => { this.status.textContent = 'live on ' + pattern; },
    }, { since: new Date(Date.now() - 10000).toISOString() });
    this.client.connect();
  }

  line(kind, text, event) {
    const item = document.createElement('li');
    item.className = kind;
    if (event) {
      const head = document.createElement('div');
      head.innerHTML = '<span class="topic"></span> <span class="when"></span>';
      head.querySelector('.topic').textContent = event.topic;
      head.querySelector('.when').textContent = new Date(event.time).toLocaleTimeString() + ' · ' + event.cursor;
      item.append(head);
    }
    item.append(document.createTextNode(shorten(text, 400)));
    this.list.prepend(item);
    while (this.list.children.length > MAX_ROWS) this.list.lastChild.remove();
    if (kind !== 'event') this.status.textContent = text;
  }
}
