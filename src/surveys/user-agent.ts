/** A coarse class of the respondent's device; the user agent string itself is not stored. */
export function userAgentClass(
  ua: string | undefined,
): 'mobile' | 'tablet' | 'desktop' | 'bot' | 'unknown' {
  if (!ua) return 'unknown';
  if (/bot|crawl|spider|curl|wget|python|node|go-http|autocannon/i.test(ua)) return 'bot';
  if (/ipad|tablet|kindle|silk/i.test(ua)) return 'tablet';
  if (/mobi|android|iphone|ipod/i.test(ua)) return 'mobile';
  return 'desktop';
}
