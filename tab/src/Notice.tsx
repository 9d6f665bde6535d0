import { MessageBar, MessageBarBody } from '@fluentui/react-components';

export interface NoticeText {
  intent: 'success' | 'error';
  text: string;
}

/** A one-line outcome or failure above a view; screen readers hear errors at once and outcomes politely. */
export function Notice({ intent, text }: NoticeText) {
  return (
    <MessageBar intent={intent} role={intent === 'error' ? 'alert' : 'status'}>
      <MessageBarBody>{text}</MessageBarBody>
    </MessageBar>
  );
}
