import { describe, expect, it } from '@jest/globals'
import { escapeCodeLine, escapeHtml, escapeHtmlBlockText, escapeMarkdown, markdownLink, mermaidText, safeUrl } from '../../src/report/escape.js'

const ZWJ = '\u200D'

describe('escapeHtml', () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  })
})

describe('escapeMarkdown', () => {
  it('neutralises an HTML payload', () => {
    expect(escapeMarkdown('<img src=x onerror=alert(1)>')).toBe('&lt;img src=x onerror=alert&#40;1&#41;&gt;')
  })

  it('keeps pipes from splitting a table cell', () => {
    expect(escapeMarkdown('| pipes |')).toBe('&#124; pipes &#124;')
  })

  it('breaks mentions and issue references with a zero-width joiner', () => {
    expect(escapeMarkdown('@everyone see #123 and GH-9')).toBe(`@${ZWJ}everyone see &#35;${ZWJ}123 and GH-${ZWJ}9`)
    expect(escapeMarkdown('(@mona) and (#7)')).toBe(`&#40;@${ZWJ}mona&#41; and &#40;&#35;${ZWJ}7&#41;`)
  })

  it('leaves @ and # alone where GitHub forms no mention or reference, so a copied name is the real one', () => {
    expect(escapeMarkdown('Run actions/checkout@v4')).toBe('Run actions/checkout@v4')
    expect(escapeMarkdown('mail mona@example.com')).toBe('mail `mona@example.com`')
    expect(escapeMarkdown('build C#12')).toBe('build C&#35;12')
  })

  it('cannot close a details block or open a code span or fence', () => {
    expect(escapeMarkdown('</details>')).toBe('&lt;/details&gt;')
    expect(escapeMarkdown('```js')).toBe('&#96;&#96;&#96;js')
  })

  it('puts everything on one line and drops control characters', () => {
    expect(escapeMarkdown('a\nb\r\nc\td\u0007e\u202Ef')).toBe('a b  c def')
  })

  it('escapes emphasis, links, headings, strikethrough and math', () => {
    expect(escapeMarkdown('*a* _b_ [c](d) # ~e~ !f +g $h$ \\')).toBe(
      '&#42;a&#42; &#95;b&#95; &#91;c&#93;&#40;d&#41; &#35; &#126;e&#126; &#33;f &#43;g &#36;h&#36; &#92;'
    )
  })

  it('escapes list markers at the start only', () => {
    expect(escapeMarkdown('- item - x')).toBe('&#45; item - x')
    expect(escapeMarkdown('1. first 2. second')).toBe('1&#46; first 2. second')
    expect(escapeMarkdown('> quote')).toBe('&gt; quote')
  })

  it('leaves ordinary names alone', () => {
    expect(escapeMarkdown('test (node 20, ubuntu-latest)')).toBe('test &#40;node 20, ubuntu-latest&#41;')
    expect(escapeMarkdown('Build')).toBe('Build')
  })
})

describe('escapeMarkdown and what GitHub autolinks (cmark-gfm’s autolink extension)', () => {
  it.each([
    ['deploy https://evil.example/x', 'deploy `https://evil.example/x`'],
    ['see http://evil.example.', 'see `http://evil.example.`'],
    ['HTTPS://EVIL.EXAMPLE and ftp://evil.example', '`HTTPS://EVIL.EXAMPLE` and `ftp://evil.example`'],
    // The scheme needs no space before it: only a letter stops it.
    ['deploy-https://evil.example', '`deploy-https://evil.example`'],
    ['www.evil.example', '`www.evil.example`'],
    ['(www.evil.example)', '`(www.evil.example)`'],
    ['me@evil.example', '`me@evil.example`'],
    ['notify first.last+ci@evil.example.', 'notify `first.last+ci@evil.example.`'],
    ['mailto:me@evil.example', '`mailto:me@evil.example`']
  ])('wraps the word in %j in inline code, so it is not a link and copies as itself', (name, expected) => {
    expect(escapeMarkdown(name)).toBe(expected)
  })

  it.each([
    // No dot in the domain, or a domain that ends in a digit: GitHub makes no link.
    ['Run actions/checkout@v4', 'Run actions/checkout@v4'],
    ['npm i lodash@4.17.21', 'npm i lodash@4.17.21'],
    // A scheme GitHub does not link, and hosts without `www.` or a scheme.
    ['open file:///tmp/x', 'open file:///tmp/x'],
    ['deploy example.com and node.js', 'deploy example.com and node.js'],
    // A mention is no e-mail (nothing before the `@`): it is still broken by a joiner.
    ['@everyone', `@${ZWJ}everyone`],
    ['cc @evil.example', `cc @${ZWJ}evil.example`]
  ])('leaves %j as it was (GitHub links nothing in it)', (name, expected) => {
    expect(escapeMarkdown(name)).toBe(expected)
  })

  it('escapes the rest of the text as before, around the wrapped words', () => {
    expect(escapeMarkdown('- *see* https://evil.example/x @mona')).toBe(`&#45; &#42;see&#42; \`https://evil.example/x\` @${ZWJ}mona`)
    expect(escapeMarkdown('1. www.evil.example')).toBe('1&#46; `www.evil.example`')
  })

  it('takes a fence longer than any backtick run in the word, with spaces when it starts or ends with one', () => {
    expect(escapeMarkdown('https://evil.example/`x`')).toBe('`` https://evil.example/`x` ``')
    expect(escapeMarkdown('https://evil.example/a``b')).toBe('```https://evil.example/a``b```')
  })

  it('keeps `|` out of the code span, where a table would split the cell on it', () => {
    expect(escapeMarkdown('https://evil.example/a|b')).toBe('`https://evil.example/a`&#124;`b`')
    expect(escapeMarkdown('|www.evil.example|')).toBe('&#124;`www.evil.example`&#124;')
  })

  it('in a raw HTML block (a <summary>), uses <code> with the text HTML-escaped', () => {
    expect(escapeHtmlBlockText('deploy https://evil.example/<b>x</b> to @mona')).toBe(
      `deploy <code>https://evil.example/&lt;b&gt;x&lt;/b&gt;</code> to @${ZWJ}mona`
    )
    expect(escapeHtmlBlockText('*build*')).toBe('&#42;build&#42;')
  })
})

describe('escapeCodeLine', () => {
  it('HTML-escapes, removes ANSI colours and control characters, keeps Markdown as is', () => {
    expect(escapeCodeLine('\u001b[31mError:\u001b[0m <b>*x*</b> ``` @everyone\u0000\r')).toBe('Error: &lt;b&gt;*x*&lt;/b&gt; ``` @everyone')
  })

  it('cannot close the pre block', () => {
    expect(escapeCodeLine('</pre><script>')).toBe('&lt;/pre&gt;&lt;script&gt;')
  })

  it('removes OSC hyperlinks', () => {
    expect(escapeCodeLine('\u001b]8;;https://x\u0007link\u001b]8;;\u0007')).toBe('link')
  })
})

describe('mermaidText', () => {
  it('replaces the characters gantt syntax uses, keeping the text readable', () => {
    expect(mermaidText('build: linux; #1 <img> %%{init}%% `x`')).toBe("build\uA789 linux, \uFF031 \u2039img\u203A \uFF05\uFF05(init)\uFF05\uFF05 'x'")
  })

  it('flattens newlines and breaks mentions', () => {
    // No zero-width characters in a diagram: GitHub forms no mention inside a mermaid block.
    expect(mermaidText('a\nb\r\n\tc @everyone')).toBe('a b c @everyone')
    expect(mermaidText('Run actions/checkout@v4')).toBe('Run actions/checkout@v4')
  })

  it('keeps a name that starts with a keyword from being read as one', () => {
    expect(mermaidText('section evil')).toBe('\u200Bsection evil')
    expect(mermaidText('Title case')).toBe('\u200BTitle case')
    expect(mermaidText('subsection')).toBe('subsection')
  })

  it('gives empty names a placeholder and cuts long ones', () => {
    expect(mermaidText('  \n ')).toBe('?')
    expect(mermaidText('x'.repeat(300))).toBe(`${'x'.repeat(99)}…`)
  })
})

describe('links', () => {
  it('accepts http(s) only and encodes characters that would end the link', () => {
    expect(safeUrl('javascript:alert(1)')).toBeNull()
    expect(safeUrl('https://x/a b)c')).toBe('https://x/a%20b%29c')
    expect(markdownLink('job [1]', 'https://x/j')).toBe('[job &#91;1&#93;](https://x/j)')
    expect(markdownLink('job', null)).toBe('job')
  })
})
