package org.clipwb.core.demo;

/** The colours objects of the demo world are painted in, as words and as sRGB. */
public enum ObjectColour {
    RED("red", 0xD22323),
    ORANGE("orange", 0xF58C14),
    YELLOW("yellow", 0xF0D71E),
    GREEN("green", 0x28A03C),
    BLUE("blue", 0x2350D2),
    PURPLE("purple", 0x8232AA),
    PINK("pink", 0xF078B4),
    BROWN("brown", 0x825023),
    BLACK("black", 0x191919),
    WHITE("white", 0xF5F5F5);

    private final String word;
    private final int rgb;

    ObjectColour(String word, int rgb) {
        this.word = word;
        this.rgb = rgb;
    }

    /** The class name: "red". */
    public String word() {
        return word;
    }

    /** 0xRRGGBB. */
    public int rgb() {
        return rgb;
    }
}
