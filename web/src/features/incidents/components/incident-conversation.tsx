import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../../shared/api/client';
import { DateTime } from '../../../shared/components/date-time';
import { ErrorMessage } from '../../../shared/components/error-message';
import { TlpBadge } from '../../../shared/components/tlp-badge';
import type { ConversationView, MessageView } from '../api/conversation';
import {
  MESSAGE_MAX_LENGTH,
  conversationQuery,
  invalidateConversation,
  markConversationRead,
  postMessage,
} from '../api/conversation';
import './incident-conversation.css';

/**
 * The incident's conversation: the reporter, the center and the sector desk. Shown only to its
 * participants: the incident page mounts it only where the incident's `actions` hold
 * `read_conversation` (the server answers 403 to anyone else who sees the incident; should it
 * still, nothing is shown). Opening it moves the read marker to the last message, which also marks the caller's
 * notifications about the incident read.
 */
export function IncidentConversation({ incidentId }: { incidentId: number }) {
  const { t } = useTranslation();
  const conversation = useQuery({
    ...conversationQuery(incidentId),
    retry: (count, error) => !(error instanceof ApiError && error.status < 500) && count < 2,
  });
  const client = useQueryClient();
  const data = conversation.data;
  const last = data?.items[data.items.length - 1]?.id ?? 0;
  // What was unread when the page opened stays marked as new while the page is open.
  const [unreadAfter, setUnreadAfter] = useState<number | null>(null);
  if (data && unreadAfter === null) setUnreadAfter(data.last_read_id);
  useEffect(() => {
    if (!data || !data.may_write || data.unread === 0 || last <= data.last_read_id) return;
    void markConversationRead(incidentId, last).then(() => invalidateConversation(client, incidentId));
  }, [client, data, incidentId, last]);

  if (conversation.error instanceof ApiError && conversation.error.status === 403) return null;
  return (
    <section aria-labelledby="conversation-heading" className="conversation">
      <h2 id="conversation-heading">
        {t('conversation.title')}
        {data && data.unread > 0 && (
          <span className="count-badge">{t('conversation.unread', { count: data.unread })}</span>
        )}
      </h2>
      <p className="hint">{t('conversation.intro')}</p>
      <ErrorMessage error={conversation.error} />
      {conversation.isPending && <p role="status">{t('common.loading')}</p>}
      {data && (
        <>
          {data.items.length === 0 ? (
            <p>{t('conversation.empty')}</p>
          ) : (
            <ol className="messages" aria-label={t('conversation.title')}>
              {data.items.map((m) => (
                <Message key={m.id} message={m} isNew={!m.own && m.id > (unreadAfter ?? 0)} />
              ))}
            </ol>
          )}
          <Composer conversation={data} incidentId={incidentId} />
        </>
      )}
    </section>
  );
}

function Message({ message, isNew }: { message: MessageView; isNew: boolean }) {
  const { t } = useTranslation();
  const { author } = message;
  return (
    <li className={`message side-${author.side}${message.own ? ' own' : ''}`} data-message-id={message.id}>
      <p className="meta">
        <strong>{message.own ? t('conversation.you') : author.organization}</strong>
        <span>{t(`conversation.sides.${author.side}`)}</span>
        <span>{t(`roles.${author.role}`)}</span>
        <span className="hint">{author.email}</span>
        <DateTime iso={message.created_at} />
        <TlpBadge tlp={message.tlp} />
        {isNew && <span className="count-badge">{t('conversation.new')}</span>}
      </p>
      <p className="body">{message.body}</p>
    </li>
  );
}

function Composer({ conversation, incidentId }: { conversation: ConversationView; incidentId: number }) {
  const { t } = useTranslation();
  const client = useQueryClient();
  const [body, setBody] = useState('');
  const [sent, setSent] = useState(false);
  const send = useMutation({
    mutationFn: (text: string) => postMessage(incidentId, text),
    onSuccess: () => {
      setBody('');
      setSent(true);
      invalidateConversation(client, incidentId);
    },
  });
  if (!conversation.may_write) return <p className="hint">{t('conversation.readOnly')}</p>;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSent(false);
    if (body.trim()) send.mutate(body);
  };
  return (
    <form className="composer" onSubmit={submit}>
      <label htmlFor="conversation-message">{t('conversation.label')}</label>
      <textarea
        id="conversation-message"
        rows={4}
        maxLength={MESSAGE_MAX_LENGTH}
        value={body}
        required
        aria-describedby="conversation-hint"
        onChange={(e) => setBody(e.target.value)}
      />
      <p className="hint" id="conversation-hint">
        {t('conversation.hint', { max: MESSAGE_MAX_LENGTH })}{' '}
        {t('conversation.count', { count: body.length, max: MESSAGE_MAX_LENGTH })}
      </p>
      <ErrorMessage error={send.error} />
      <p>
        <button type="submit" disabled={send.isPending || !body.trim()}>
          {send.isPending ? t('conversation.sending') : t('conversation.send')}
        </button>{' '}
        {sent && <span role="status">{t('conversation.sent')}</span>}
      </p>
    </form>
  );
}
