package org.clipwb.core.demo;

/** The backgrounds of the pretraining world: a tone and a pattern. */
public final class Backdrop {
    private Backdrop() {
    }

    /** Background tones, named as captions name them. */
    public enum Tone {
        WHITE("white", 0xFAFAFA),
        LIGHT_GREY("light grey", 0xC8C8C8),
        DARK_GREY("dark grey", 0x464646),
        BEIGE("beige", 0xEBDCBE),
        LIGHT_BLUE("light blue", 0xBED7F0),
        LIGHT_GREEN("light green", 0xC8E6C3);

        private final String word;
        private final int rgb;

        Tone(String word, int rgb) {
            this.word = word;
            this.rgb = rgb;
        }

        /** "light grey". */
        public String word() {
            return word;
        }

        /** 0xRRGGBB. */
        public int rgb() {
            return rgb;
        }
    }

    /** Background patterns, drawn in two close shades of the tone so that objects stay salient. */
    public enum Pattern {
        PLAIN("plain"),
        STRIPED("striped"),
        CHECKERED("checkered"),
        DOTTED("dotted"),
        GRADIENT("gradient");

        private final String word;

        Pattern(String word) {
            this.word = word;
        }

        /** "striped". */
        public String word() {
            return word;
        }
    }
}
