import { useTranslation } from 'react-i18next';
import type { Tlp } from '../api/types';

/** A TLP 2.0 label: the marking's own colours on black, as FIRST specifies, and its meaning as a title. */
export function TlpBadge({ tlp }: { tlp: Tlp }) {
  const { t } = useTranslation();
  const name = `TLP:${tlp}`;
  return (
    <span className={`tlp tlp-${tlp.toLowerCase().replace('+', '-')}`} title={t(`tlp.${tlp}`)}>
      {name}
    </span>
  );
}
