import { Link, makeStyles } from '@fluentui/react-components';
import { useState } from 'react';

const useStyles = makeStyles({
  // The clamp only hides visually: the whole text stays in the page, for screen readers and find-in-page.
  clamp: {
    display: '-webkit-box',
    WebkitLineClamp: '2',
    WebkitBoxOrient: 'vertical',
    overflow: 'hidden',
    overflowWrap: 'anywhere',
    maxWidth: '40ch',
    // Reached by keyboard, the link shows all of its text in place, since there is no pointer to hover with.
    ':focus-visible': { WebkitLineClamp: 'unset' },
  },
});

export interface TwoLineLinkProps {
  href: string;
  /** The whole text; it is cut to two lines on screen. */
  text: string;
  /** The link's accessible name, which carries the whole text too. */
  label: string;
}

/**
 * A link whose text is cut to two lines. Hovering it shows the whole text (the browser's own tooltip, set only
 * when something was cut); focusing it by keyboard uncuts it. A Fluent Tooltip would cost the tab's JavaScript
 * budget about 12 KB gzipped for the same thing.
 */
export function TwoLineLink({ href, text, label }: TwoLineLinkProps) {
  const styles = useStyles();
  const [title, setTitle] = useState<string | undefined>(undefined);
  const measure = (el: HTMLElement) => setTitle(el.scrollHeight > el.clientHeight + 1 ? text : undefined);
  return (
    <Link
      href={href}
      target="_blank"
      rel="noreferrer"
      aria-label={label}
      title={title}
      className={styles.clamp}
      onPointerEnter={(e) => measure(e.currentTarget)}
    >
      {text}
    </Link>
  );
}
