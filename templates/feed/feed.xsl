<?xml version="1.0" encoding="UTF-8"?>
<!-- podpub: how a feed reads when opened in a browser. Podcast apps ignore it. -->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:itunes="http://www.itunes.com/dtds/podcast-1.0.dtd"
    xmlns:podcast="https://podcastindex.org/namespace/1.0"
    xmlns:atom="http://www.w3.org/2005/Atom"
    exclude-result-prefixes="itunes podcast atom">
  <xsl:output method="html" encoding="UTF-8" indent="yes" doctype-system="about:legacy-compat"/>

  <xsl:variable name="feed" select="/rss/channel/atom:link[@rel='self']/@href"/>
  <xsl:variable name="bare" select="substring-after($feed, '://')"/>
  <xsl:variable name="art" select="/rss/channel/itunes:image/@href | /rss/channel/image/url[not(/rss/channel/itunes:image)]"/>

  <!-- Notes are HTML; shown here as plain text, so nothing in them runs on the feed's site. -->
  <xsl:template name="text-of">
    <xsl:param name="html"/>
    <xsl:choose>
      <xsl:when test="contains($html, '&lt;')">
        <xsl:value-of select="substring-before($html, '&lt;')"/>
        <xsl:text> </xsl:text>
        <xsl:call-template name="text-of">
          <xsl:with-param name="html" select="substring-after(substring-after($html, '&lt;'), '&gt;')"/>
        </xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$html"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="notes">
    <xsl:param name="html"/>
    <p class="notes">
      <xsl:call-template name="text-of">
        <xsl:with-param name="html" select="substring($html, 1, 1500)"/>
      </xsl:call-template>
      <xsl:if test="string-length($html) &gt; 1500">…</xsl:if>
    </p>
  </xsl:template>

  <xsl:template match="/">
    <html lang="en">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="/rss/channel/title"/> (podcast feed)</title>
        <style>
          :root { --fg: #1b1f24; --muted: #57606a; --line: #d0d7de; --accent: #0b5cad; }
          * { box-sizing: border-box; }
          body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg);
            background: #f6f7f9; overflow-wrap: anywhere; }
          main { max-width: 860px; margin: 0 auto; padding: 16px; }
          .about { display: flex; flex-wrap: wrap; gap: 16px; align-items: flex-start; background: #fff;
            border: 1px solid var(--line); border-radius: 6px; padding: 16px; }
          .about img { width: 180px; height: 180px; object-fit: cover; border-radius: 6px; }
          .about div { flex: 1 1 280px; }
          h1 { margin: 0 0 4px; font-size: 1.6rem; } h2 { font-size: 1.2rem; margin: 20px 0 8px; }
          .muted, .meta { color: var(--muted); }
          .banner { background: #ddf4ff; border: 1px solid #54aeff; border-radius: 6px; padding: 8px 12px; margin: 0 0 16px; }
          .subscribe { display: flex; flex-wrap: wrap; gap: 8px; margin: 8px 0 0; padding: 0; list-style: none; }
          .subscribe a, button { display: inline-block; padding: 5px 12px; border-radius: 6px; border: 1px solid var(--accent);
            color: var(--accent); background: #fff; text-decoration: none; font: inherit; cursor: pointer; }
          .copy { display: flex; flex-wrap: wrap; gap: 8px; margin: 12px 0 0; }
          .copy input { flex: 1 1 240px; font: inherit; padding: 5px 8px; border: 1px solid #8c959f; border-radius: 6px; }
          article { display: flex; gap: 12px; background: #fff; border: 1px solid var(--line); border-radius: 6px;
            padding: 12px; margin: 0 0 12px; }
          article img { width: 72px; height: 72px; object-fit: cover; border-radius: 4px; flex: none; }
          article div { flex: 1; min-width: 0; }
          h3 { margin: 0; font-size: 1.05rem; }
          audio, video { width: 100%; margin: 6px 0; }
          .notes { margin: 4px 0; white-space: pre-line; }
          a { color: var(--accent); }
        </style>
      </head>
      <body>
        <main>
          <p class="banner">This is a podcast feed: copy its address into a podcast app to subscribe, or use a link below.</p>
          <xsl:apply-templates select="/rss/channel"/>
        </main>
      </body>
    </html>
  </xsl:template>

  <xsl:template match="channel">
    <section class="about" aria-label="About the show">
      <xsl:if test="$art">
        <img src="{$art}" alt="Artwork of {title}"/>
      </xsl:if>
      <div>
        <h1><xsl:value-of select="title"/></h1>
        <xsl:if test="itunes:author">
          <p class="muted">By <xsl:value-of select="itunes:author"/></p>
        </xsl:if>
        <xsl:call-template name="notes">
          <xsl:with-param name="html" select="description"/>
        </xsl:call-template>
        <ul class="subscribe" aria-label="Subscribe">
          <li><a href="podcasts://{$bare}">Apple Podcasts</a></li>
          <li><a href="https://open.spotify.com/search/{title}/podcasts">Spotify</a></li>
          <li><a href="https://podcastindex.org/search?q={$feed}">Podcast Index</a></li>
          <li><a href="pktc://subscribe/{$bare}">Pocket Casts</a></li>
          <li><a href="overcast://x-callback-url/add?url={$feed}">Overcast</a></li>
          <li><a href="https://antennapod.org/deeplink/subscribe?url={$feed}">AntennaPod</a></li>
          <li><a href="podcast://{$bare}">Other apps (podcast://)</a></li>
        </ul>
        <div class="copy">
          <label for="feed-url" class="muted">Feed URL</label>
          <input id="feed-url" type="text" readonly="readonly" value="{$feed}"/>
          <button type="button" onclick="var i=document.getElementById('feed-url');i.select();navigator.clipboard?navigator.clipboard.writeText(i.value):document.execCommand('copy');this.textContent='Copied'">Copy feed URL</button>
        </div>
      </div>
    </section>
    <h2>Episodes (<xsl:value-of select="count(item)"/>)</h2>
    <xsl:apply-templates select="item"/>
    <xsl:if test="not(item)"><p class="muted">No episodes yet.</p></xsl:if>
  </xsl:template>

  <xsl:template match="item">
    <article>
      <xsl:choose>
        <xsl:when test="itunes:image/@href"><img src="{itunes:image/@href}" alt=""/></xsl:when>
        <xsl:when test="$art"><img src="{$art}" alt=""/></xsl:when>
      </xsl:choose>
      <div>
        <h3><xsl:value-of select="title"/></h3>
        <p class="meta">
          <xsl:if test="itunes:season">Season <xsl:value-of select="itunes:season"/> · </xsl:if>
          <xsl:if test="itunes:episode">Episode <xsl:value-of select="itunes:episode"/> · </xsl:if>
          <xsl:value-of select="pubDate"/>
        </p>
        <xsl:choose>
          <xsl:when test="starts-with(enclosure/@type, 'audio/')">
            <audio controls="controls" preload="none" src="{enclosure/@url}" aria-label="Play {title}"></audio>
          </xsl:when>
          <xsl:when test="starts-with(enclosure/@type, 'video/')">
            <video controls="controls" preload="none" src="{enclosure/@url}" aria-label="Play {title}"></video>
          </xsl:when>
        </xsl:choose>
        <xsl:call-template name="notes">
          <xsl:with-param name="html" select="description"/>
        </xsl:call-template>
        <p><a href="{enclosure/@url}">Download</a><xsl:if test="link"> · <a href="{link}">Episode page</a></xsl:if></p>
      </div>
    </article>
  </xsl:template>
</xsl:stylesheet>
